"""dlgrader: a safe, fast, explanatory autograder for a 14-exercise deep-learning homework."""

__version__ = "0.1.0"
