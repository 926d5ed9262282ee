"""Report languages: UI strings (en.json, ko.json) and translation of the grader's messages."""
