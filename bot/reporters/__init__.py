"""Reporters (rapportörer): people who feed the picture without sitting in the meeting."""
