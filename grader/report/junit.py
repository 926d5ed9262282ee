"""JUnit XML: one testsuite per student, one testcase per case (CI systems read this)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.results import ClassResult


def render(klass: ClassResult) -> str:
    root = ET.Element("testsuites", name="grader", time=f"{klass.execution_time:.3f}")
    for sub in klass.submissions:
        cases = sub.cases
        suite = ET.SubElement(root, "testsuite", name=sub.student, tests=str(len(cases)),
                              failures=str(sum(c.verdict not in ("passed", "error") for c in cases)),
                              errors=str(sum(c.verdict == "error" for c in cases)),
                              time=f"{sub.execution_time:.3f}")
        for case in cases:
            tc = ET.SubElement(suite, "testcase", classname=f"{sub.student}.{case.exercise}", name=case.case,
                               time=f"{case.execution_time:.4f}")
            if case.passed:
                continue
            tag = "error" if case.verdict == "error" else "failure"
            el = ET.SubElement(tc, tag, type=case.verdict, message=case.message[:500])
            el.text = "\n".join([case.message] + [h.en for h in case.hints])
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
