"""The adjudication view: two reviewers' answers side by side, settled into the final record."""
