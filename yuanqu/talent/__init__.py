"""人才直通车 (task 17 of the plan): firms' openings, people's profiles, two-way matching in Chinese,
interest and contact exchange under consent, and talent policies on the one rule engine."""
