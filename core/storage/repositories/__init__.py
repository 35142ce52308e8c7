"""All SQL of the project lives in these repository modules."""
