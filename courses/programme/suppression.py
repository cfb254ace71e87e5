"""Complementary suppression: which counts of a table and of its totals to withhold so that
no small count can be worked out from the others.

A cube maps keys to counts over a few dimensions (sex, country, role) and holds every margin:
a key with ALL in a dimension is the sum over that dimension. The entries that share every
coordinate but one, with the entry that has ALL there, form a line: its cells add up to its
total. Whoever reads a report knows these sums, and knows that a count shown as "<N" is
between 1 and N − 1, that one withheld as "×" is at least N, and that 0 is 0.

1. Primary suppression: every count from 1 to N − 1.
2. The classic rule: a line with exactly one withheld entry gives it away by subtraction, so
   one more entry of that line is withheld: its smallest non-zero cell that leaves the small
   count at least two possible values (a cell of exactly N does not: 6 = "<5" + "×" makes
   them 1 and 5), else its total, else its largest cell. Repeat until no line has exactly
   one withheld entry.
3. The audit: the bounds above are carried along every line, from line to line, until they
   settle. A small count left with one possible value is exposed: following the lines its
   bounds came from, the nearest shown entry that would loosen them is withheld too, and
   step 2 runs again.

Some counts are pinned by the zeros and the "<N" bounds alone (four cells of "<5" in a
total of "<5" are all 1): when their bounds lead back to no shown entry, withholding more
cannot help them, and the audit leaves them be.
Everything here is deterministic: the same figures give the same cells withheld, whatever
page asks.
"""

import math
from collections import defaultdict, deque
from itertools import product

ALL = "*"
SMALL = "small"
WITHHELD = "withheld"
MARK = "×"  # how a withheld count is shown; a small one is shown as "<N"
# Bounds usually settle in a few passes; stopping early leaves them wider, never wrong.
MAX_PASSES = 20


def small(value, threshold):
    """The small-cell rule: a count from 1 to threshold − 1 is shown as "<threshold"."""
    if isinstance(value, int) and 0 < value < threshold:
        return f"<{threshold}"
    return value


def shown(value, state, threshold):
    """A count as a report shows it: itself, "<N" when small, "×" when withheld."""
    if state == SMALL:
        return f"<{threshold}"
    return MARK if state == WITHHELD else value


def with_margins(cells):
    """{key: {measure: value}} for the finest cells → the same for every margin too."""
    cube = {}
    for key, figures in cells.items():
        for mask in product((False, True), repeat=len(key)):
            node = tuple(ALL if total else value for value, total in zip(key, mask, strict=True))
            sums = cube.setdefault(node, dict.fromkeys(figures, 0))
            for name, value in figures.items():
                sums[name] += value or 0
    return cube


def lines_of(keys):
    """(total, cells) for every line of a cube whose keys (margins included) are given."""
    lines = defaultdict(list)
    for key in keys:
        for position, value in enumerate(key):
            if value != ALL:
                lines[(position, (*key[:position], ALL, *key[position + 1 :]))].append(key)
    return [(total, sorted(cells)) for (_position, total), cells in sorted(lines.items())]


def suppress(counts, threshold, lines=None):
    """{key: SMALL or WITHHELD} for the entries of the cube `counts` that must not be shown."""
    table = _Table(counts, lines_of(counts) if lines is None else lines, threshold)
    withheld = set(table.small)
    hopeless, exposed, before = set(), set(), set()
    while True:
        table.close(withheld)
        # Only the lines linked to what was withheld since the last audit can have changed.
        changed = table.linked(withheld, withheld - before)
        exposed = {entry for entry in exposed if not changed.intersection(table.through[entry])}
        exposed = (exposed | table.audit(withheld, changed)) - hopeless
        before = set(withheld)
        if not exposed:
            return {
                table.keys[entry]: SMALL if entry in table.small else WITHHELD for entry in withheld
            }
        # One more entry for each exposed count whose lines got none yet in this round, the
        # finest counts first: a total is often pinned only through its cells.
        touched = set()
        for entry in sorted(exposed, key=table.fineness):
            if touched.intersection(table.through[entry]):
                continue
            extra = table.source(entry, withheld)
            if extra is None:
                # Pinned by bounds that no more withholding can loosen.
                hopeless.add(entry)
            else:
                withheld.add(extra)
                touched.update(table.through[entry], table.through[extra])


class _Table:
    """A cube's counts and lines, by entry number, with the steps that decide what to hide."""

    def __init__(self, counts, lines, threshold):
        self.keys = sorted(counts)
        number = {key: entry for entry, key in enumerate(self.keys)}
        self.values = [counts[key] for key in self.keys]
        self.lines = [(number[total], [number[key] for key in cells]) for total, cells in lines]
        self.threshold = threshold
        self.nonzero = [entry for entry, value in enumerate(self.values) if value]
        self.small = {entry for entry in self.nonzero if self.values[entry] < threshold}
        self.through = defaultdict(list)
        for index, (total, cells) in enumerate(self.lines):
            for entry in (total, *cells):
                self.through[entry].append(index)
        # For each (entry, "low" or "high"), the line that set that bound in the last audit.
        self.why = {}

    def fineness(self, entry):
        """Sorts the finest cells first, then by key."""
        key = self.keys[entry]
        return key.count(ALL), key

    def close(self, withheld):
        """The classic rule, until no line has exactly one withheld entry."""
        queue = deque(range(len(self.lines)))
        queued = set(queue)
        while queue:
            index = queue.popleft()
            queued.discard(index)
            total, cells = self.lines[index]
            if (total in withheld) + sum(entry in withheld for entry in cells) != 1:
                continue
            extra = self.complement(index, withheld)
            if extra is None:
                continue
            withheld.add(extra)
            for other in self.through[extra]:
                if other not in queued:
                    queue.append(other)
                    queued.add(other)

    def complement(self, index, withheld):
        """The entry of line `index` to withhold with those already withheld there."""
        total, cells = self.lines[index]
        values = self.values
        # A cell of exactly the threshold is tried last: withheld, it can only be larger
        # than it is, so it hides little.
        candidates = sorted(
            (values[entry] == self.threshold, values[entry], entry)
            for entry in cells
            if values[entry] and entry not in withheld
        )
        for _exact, _value, entry in candidates:
            if not self.audit(withheld | {entry}, [index], keep=False):
                return entry
        if values[total] and total not in withheld:
            return total
        return max(candidates, key=lambda candidate: candidate[1])[2] if candidates else None

    def source(self, entry, withheld):
        """Follows, line by line, where the exposed entry's bounds came from, to the nearest
        shown entry that would loosen them if withheld."""
        queue, seen = deque([(entry, "high"), (entry, "low")]), set()
        while queue:
            state = queue.popleft()
            if state in seen:
                continue
            seen.add(state)
            found, further = self.loosen(*state, withheld)
            if found is not None:
                return found
            queue.extend(further)
        return None

    def loosen(self, entry, side, withheld):
        """(a shown entry to withhold, or None; (entry, side) states to follow) for raising
        the high bound (side "high") or lowering the low bound ("low") of entry."""
        index = self.why.get((entry, side))
        if index is None:
            return None, []
        total, cells = self.lines[index]
        raise_high = side == "high"
        if entry == total:
            # The total's bound is the sum of its cells' bounds on the same side.
            parts = [(cell, side) for cell in cells]
        else:
            # A cell's high bound is the total's high less the others' low bounds; its low
            # bound, the total's low less the others' high bounds.
            other = "low" if raise_high else "high"
            parts = [(total, side)] + [(cell, other) for cell in cells if cell != entry]
        found = []
        for part, part_side in parts:
            if part in withheld or not self.values[part]:
                continue  # a zero stays 0: "×" would say it is at least N
            # Withholding a shown entry opens its bounds to [1, N − 1] or [N, ∞).
            if part_side == "high" or self.values[part] > self.threshold:
                found.append((self.values[part], part))
        if found:
            return min(found)[1], []
        return None, [(part, part_side) for part, part_side in parts if part in withheld]

    def linked(self, withheld, entries):
        """The lines reachable from these entries through withheld ones: the only lines
        whose bounds can move when they are withheld."""
        found, queue = set(), [index for entry in entries for index in self.through[entry]]
        while queue:
            index = queue.pop()
            if index in found:
                continue
            found.add(index)
            total, cells = self.lines[index]
            for entry in (total, *cells):
                if entry in withheld:
                    queue.extend(other for other in self.through[entry] if other not in found)
        return found

    def audit(self, withheld, indexes=None, keep=True):
        """The small counts whose bounds, carried along the lines (all of them, or these),
        leave one possible value. With keep, where each bound came from is kept for source()."""
        everywhere = indexes is None
        active = [
            index
            for index in (range(len(self.lines)) if everywhere else indexes)
            if self.lines[index][0] in withheld
            or any(entry in withheld for entry in self.lines[index][1])
        ]
        low, high, why = {}, {}, {}
        for index in active:
            total, cells = self.lines[index]
            for entry in (total, *cells):
                if entry not in withheld:
                    low[entry] = high[entry] = self.values[entry]
                elif entry in self.small:
                    low[entry], high[entry] = 1, self.threshold - 1
                else:
                    low[entry], high[entry] = self.threshold, math.inf
        # Each line is narrowed again only when one of its entries changed.
        scope = set(active)
        queue, queued = deque(active), set(active)
        budget = MAX_PASSES * len(active)
        while queue and budget:
            budget -= 1
            index = queue.popleft()
            queued.discard(index)
            for entry in _narrow(self.lines[index], low, high, why, index):
                for other in self.through[entry]:
                    if other not in queued and (everywhere or other in scope):
                        queue.append(other)
                        queued.add(other)
        if keep:
            for entry in low:
                self.why.pop((entry, "low"), None)
                self.why.pop((entry, "high"), None)
            self.why.update(why)
        pinned = self.small & withheld & set(low)
        return {entry for entry in pinned if low[entry] == high[entry]}


def _narrow(line, low, high, why, index):
    """Tighten the bounds of one line's entries from its sum; the entries that changed."""
    total, cells = line
    sum_low = sum(low[entry] for entry in cells)
    unbounded = sum(1 for entry in cells if high[entry] == math.inf)
    sum_high = sum(high[entry] for entry in cells if high[entry] != math.inf)
    changed = []
    total_low, total_high = low[total], high[total]
    for entry in cells:
        others_low = sum_low - low[entry]
        if unbounded - (high[entry] == math.inf):
            others_high = math.inf
        else:
            others_high = sum_high - (0 if high[entry] == math.inf else high[entry])
        if _set(entry, low, high, why, index, total_low - others_high, total_high - others_low):
            changed.append(entry)
    if _set(total, low, high, why, index, sum_low, math.inf if unbounded else sum_high):
        changed.append(total)
    return changed


def _set(entry, low, high, why, index, new_low, new_high):
    changed = False
    if new_low > low[entry]:
        low[entry], why[(entry, "low")], changed = new_low, index, True
    if new_high < high[entry]:
        high[entry], why[(entry, "high")], changed = new_high, index, True
    return changed
