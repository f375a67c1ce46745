"""Great Expectations suites as code, quarantine logic and the data-quality report."""
