"""The assignment problem: pair rows with columns for the largest total weight."""

import math
from collections.abc import Sequence


def max_weight_assignment(weights: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """(row, column) pairs, each row and column used at most once, of maximal total weight.

    The Hungarian method with potentials (Kuhn-Munkres, O(n²m)): exact on integer weights,
    so callers can rank by several criteria at once by scaling them into one integer.
    Every row is paired when there are at least as many columns; pairs of weight 0 are
    left out, as a weight of 0 means "do not pair".
    """
    rows = len(weights)
    columns = len(weights[0]) if rows else 0
    if not rows or not columns:
        return []
    if rows > columns:
        flipped = [[weights[i][j] for i in range(rows)] for j in range(columns)]
        return sorted((i, j) for j, i in max_weight_assignment(flipped))
    owner = _minimum_cost([[-w for w in row] for row in weights], rows, columns)
    pairs = [(owner[j] - 1, j - 1) for j in range(1, columns + 1) if owner[j]]
    return sorted((i, j) for i, j in pairs if weights[i][j] > 0)


def _minimum_cost(cost: list[list[int]], rows: int, columns: int) -> list[int]:
    """For each column (1-based), the 1-based row given to it, 0 for none; rows <= columns.

    Rows are added one by one; each addition finds a shortest augmenting path in the
    reduced costs (cost - row potential - column potential), which stay non-negative.
    """
    row_potential = [0] * (rows + 1)
    column_potential = [0] * (columns + 1)
    owner = [0] * (columns + 1)  # column 0 is the virtual start of each augmenting path
    previous = [0] * (columns + 1)
    for row in range(1, rows + 1):
        owner[0] = row
        column = 0
        slack: list[float] = [math.inf] * (columns + 1)
        visited = [False] * (columns + 1)
        while True:
            visited[column] = True
            current = owner[column]
            delta: float = math.inf
            next_column = 0
            for j in range(1, columns + 1):
                if visited[j]:
                    continue
                reduced = cost[current - 1][j - 1] - row_potential[current] - column_potential[j]
                if reduced < slack[j]:
                    slack[j] = reduced
                    previous[j] = column
                if slack[j] < delta:
                    delta = slack[j]
                    next_column = j
            step = int(delta)
            for j in range(columns + 1):
                if visited[j]:
                    row_potential[owner[j]] += step
                    column_potential[j] -= step
                else:
                    slack[j] -= step
            column = next_column
            if owner[column] == 0:
                break
        while column:
            back = previous[column]
            owner[column] = owner[back]
            column = back
    return owner
