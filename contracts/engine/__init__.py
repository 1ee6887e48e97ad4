"""The engine: configuration, the guarded HTTP client, the session clauses talk through, the hypothesis
driver, structured verdicts, and snapshot/restore. It knows no clause: ``contracts.clauses`` builds on it
and ``contracts.runner`` drives both."""
