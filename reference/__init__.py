"""Reference solutions: one module per exercise, itself a valid submission (see EXERCISES.md)."""
