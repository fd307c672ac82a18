"""The web pages the web process serves besides Slack: the reporters\x27 form."""
