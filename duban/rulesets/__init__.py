"""规则设置: the rules the seeds give as data with presets, edited by administrators on pages.

Light, reminder and source rules (items) and the escalation and accountability ladders
(assessment) are rows a migration seeds; this package's actions change them, audited, the way
workdays/actions.py changes deadline rules. No model here: the rows live with their apps.
"""
