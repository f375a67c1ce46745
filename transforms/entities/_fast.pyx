# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled fast path of the entity rules' shared steps (optional: built by setup.py when a C
compiler is there; `transforms.entities.COMPILED` says whether it is in use).

What is here is only the per-word and per-hit bookkeeping that runs hundreds of thousands of times
per thousand documents; the rules themselves (word lists, case rules, flags) stay in the Python
modules and are called from here. Each function has a pure-Python twin in the module named, and
tests/transforms/entities/test_compiled.py checks that both give the same results:

- `Token`, `words_of`: `tokens.Token` and the loop of `tokens.words`; on ASCII text a hand-written
  scanner finds exactly the words of `tokens._WORD_ASCII` without building a match object per word;
- `Hit`, `automaton_hits`: `gazetteer.Hit` and the automaton loop of `gazetteer.find`;
- `Candidate`, `resolve`: `spans.Candidate` and `spans.resolve`;
- `matches_at` with `digit_starts`, `acronym_starts`, `office_starts`: `rx.finditer` (what
  `compiled.finditer_at` does without them), tried only where a match may start
  (the number patterns: where a run of digits starts; `orgs._ACRONYM`, `orgs._office_rx()`:
  capitals followed by what each needs), instead of a scan of the whole text per pattern.
"""
from cpython.list cimport PyList_GET_SIZE, PyList_GET_ITEM
from cpython.tuple cimport PyTuple_GET_ITEM
from cpython.dict cimport PyDict_GetItem
from cpython.ref cimport PyObject
cimport cython


# Token, Hit and Candidate hold strings, numbers and (Hit) a frozen word-list entry, never a container:
# they cannot be part of a reference cycle, so the garbage collector need not track them (`no_gc`:
# a paragraph makes hundreds, and each tracked one counts towards the next collection); a free
# list recycles the memory of the last paragraph's objects.
@cython.no_gc
@cython.freelist(1024)
cdef class Token:
    """`tokens.Token`, with C fields."""
    cdef public Py_ssize_t start
    cdef public Py_ssize_t end
    cdef public str text
    cdef public bint possessive
    cdef public bint dot
    cdef public bint initial
    cdef public bint caps
    cdef public bint titlecase
    cdef public long flags

    def __init__(self, Py_ssize_t start, Py_ssize_t end, str text, bint possessive, bint dot, bint initial,
                 bint caps, bint titlecase, long flags=0):
        self.start = start
        self.end = end
        self.text = text
        self.possessive = possessive
        self.dot = dot
        self.initial = initial
        self.caps = caps
        self.titlecase = titlecase
        self.flags = flags

    cdef tuple _key(self):
        return (self.start, self.end, self.text, self.possessive, self.dot, self.initial, self.caps,
                self.titlecase, self.flags)

    def __eq__(self, other):
        if type(other) is not Token:
            return NotImplemented
        return self._key() == (<Token>other)._key()

    __hash__ = None

    def __repr__(self):
        return ("Token(start=%r, end=%r, text=%r, possessive=%r, dot=%r, initial=%r, caps=%r, titlecase=%r, "
                "flags=%r)" % self._key())


cdef inline Token _token(Py_ssize_t start, tuple shape, bint dot):
    # shape: (length of the name part, name part, possessive, initial, caps, titlecase, flags)
    cdef Token t = Token.__new__(Token)
    t.start = start
    t.end = start + <Py_ssize_t>(<object>PyTuple_GET_ITEM(shape, 0))
    t.text = <str>PyTuple_GET_ITEM(shape, 1)
    t.possessive = <object>PyTuple_GET_ITEM(shape, 2)
    t.dot = dot
    t.initial = <object>PyTuple_GET_ITEM(shape, 3)
    t.caps = <object>PyTuple_GET_ITEM(shape, 4)
    t.titlecase = <object>PyTuple_GET_ITEM(shape, 5)
    t.flags = <long>(<object>PyTuple_GET_ITEM(shape, 6))
    return t


cdef inline bint _letter(unsigned char c) noexcept nogil:
    return (c | 32) >= 97 and (c | 32) <= 122


cdef inline bint _upper(unsigned char c) noexcept nogil:
    return c >= 65 and c <= 90


cdef Py_ssize_t _run(const unsigned char* s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """End of the run of letters starting at `i`."""
    while i < n and _letter(s[i]):
        i += 1
    return i


cdef Py_ssize_t _ascii_word(const unsigned char* s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """End of the `tokens._WORD_ASCII` match that starts at `i`, or -1 when none starts there.
    The caller has checked that `s[i]` may start one and no letter stands before it."""
    cdef unsigned char c = s[i]
    cdef Py_ssize_t j, k
    if _upper(c):
        j = _run(s, i + 1, n)
    else:
        # a particle: the whole letter run after its first letter is one of the listed endings
        # (every ending of the pattern is followed by "no letter")
        j = _run(s, i + 1, n)
        k = j - i - 1
        if c == 97:        # a: l, bu, nd
            if not ((k == 1 and s[i + 1] == 108) or (k == 2 and ((s[i + 1] == 98 and s[i + 2] == 117)
                                                               or (s[i + 1] == 110 and s[i + 2] == 100)))):
                return -1
        elif c == 101:     # e: l
            if not (k == 1 and s[i + 1] == 108):
                return -1
        elif c == 98:      # b: in
            if not (k == 2 and s[i + 1] == 105 and s[i + 2] == 110):
                return -1
        elif c == 105:     # i: bn
            if not (k == 2 and s[i + 1] == 98 and s[i + 2] == 110):
                return -1
        elif c == 100:     # d: e, a, i, u, el, ella, er
            if k == 1:
                if not (s[i + 1] == 101 or s[i + 1] == 97 or s[i + 1] == 105 or s[i + 1] == 117):
                    return -1
            elif k == 2:
                if not (s[i + 1] == 101 and (s[i + 2] == 108 or s[i + 2] == 114)):
                    return -1
            elif k == 4:
                if not (s[i + 1] == 101 and s[i + 2] == 108 and s[i + 3] == 108 and s[i + 4] == 97):
                    return -1
            else:
                return -1
        elif c == 118:     # v: an, on
            if not (k == 2 and (s[i + 1] == 97 or s[i + 1] == 111) and s[i + 2] == 110):
                return -1
        elif c == 108:     # l: e, a
            if not (k == 1 and (s[i + 1] == 101 or s[i + 1] == 97)):
                return -1
        else:
            return -1
    # (?:['-][A-Za-z]+)*
    while j + 1 < n and (s[j] == 39 or s[j] == 45) and _letter(s[j + 1]):
        j = _run(s, j + 2, n)
    return j


cdef inline bint _may_start(unsigned char c) noexcept nogil:
    # [A-Zabdeilv]
    return _upper(c) or c == 97 or c == 98 or c == 100 or c == 101 or c == 105 or c == 108 or c == 118


def ascii_word_spans(str text):
    """(start, end) of every word `tokens._WORD_ASCII.finditer` finds in ASCII `text` (for tests)."""
    cdef bytes b = text.encode("ascii")
    cdef const unsigned char* s = b
    cdef Py_ssize_t n = len(b), i = 0, j
    out = []
    while i < n:
        if _may_start(s[i]) and (i == 0 or not _letter(s[i - 1])):
            j = _ascii_word(s, i, n)
            if j >= 0:
                out.append((i, j))
                i = j
                continue
        i += 1
    return out


cdef inline tuple _shape_of(dict shapes, str word, object make_shape):
    cdef PyObject* p = PyDict_GetItem(shapes, word)
    if p is NULL:
        return <tuple>make_shape(word)
    return <tuple>p


def words_of(str text, long skip, long picked_bits, dict shapes, object make_shape, object word_re):
    """The loop of `tokens.words`: (tokens, union of flags, picked indices). `skip` is the flag of
    the words left out (0: none), `shapes` the word -> shape cache that `make_shape` fills, and
    `word_re` the word pattern of non-ASCII text (`tokens._WORD`)."""
    cdef list out = []
    cdef list picked = []
    cdef Py_ssize_t n = len(text)
    cdef long flags = 0, f
    cdef Py_ssize_t start, end, tail_start = -1, tail_end = -1, i, j
    cdef str word
    cdef str tail_word = None
    cdef tuple shape
    cdef bytes b
    cdef const unsigned char* s
    if text.isascii():
        b = text.encode("ascii")
        s = b
        i = 0
        while i < n:
            if not (_may_start(s[i]) and (i == 0 or not _letter(s[i - 1]))):
                i += 1
                continue
            j = _ascii_word(s, i, n)
            if j < 0:
                i += 1
                continue
            start, end = i, j
            i = j
            word = text[start:end]
            shape = _shape_of(shapes, word, make_shape)
            f = <long>(<object>PyTuple_GET_ITEM(shape, 6))
            flags |= f
            if f & skip:
                tail_start, tail_end, tail_word = start, end, word
                continue
            tail_start = -1
            if f & picked_bits:
                picked.append(len(out))
            out.append(_token(start, shape, end < n and s[end] == 46))
    else:
        for m in word_re.finditer(text):
            start, end = m.span()
            word = text[start:end]
            shape = _shape_of(shapes, word, make_shape)
            f = <long>(<object>PyTuple_GET_ITEM(shape, 6))
            flags |= f
            if f & skip:
                tail_start, tail_end, tail_word = start, end, word
                continue
            tail_start = -1
            if f & picked_bits:
                picked.append(len(out))
            out.append(_token(start, shape, end < n and text[end] == "."))
    if tail_start >= 0:
        shape = _shape_of(shapes, tail_word, make_shape)
        out.append(_token(tail_start, shape, tail_end < n and text[tail_end] == "."))
    return out, flags, picked


def having(list toks, list picked, long bit):
    """`tokens.Words.having` once the union of flags holds `bit`."""
    cdef list out = []
    cdef Py_ssize_t i, k, m = PyList_GET_SIZE(picked)
    for k in range(m):
        i = <Py_ssize_t>(<object>PyList_GET_ITEM(picked, k))
        if (<Token>PyList_GET_ITEM(toks, i)).flags & bit:
            out.append(i)
    return out


@cython.no_gc
@cython.freelist(256)
cdef class Hit:
    """`gazetteer.Hit`, with C offsets."""
    cdef public Py_ssize_t start
    cdef public Py_ssize_t end
    cdef public object entry

    def __init__(self, Py_ssize_t start, Py_ssize_t end, entry):
        self.start = start
        self.end = end
        self.entry = entry

    def __eq__(self, other):
        if type(other) is not Hit:
            return NotImplemented
        return (self.start, self.end, self.entry) == ((<Hit>other).start, (<Hit>other).end, (<Hit>other).entry)

    __hash__ = None

    def __repr__(self):
        return "Hit(start=%r, end=%r, entry=%r)" % (self.start, self.end, self.entry)


cdef inline Hit _hit(Py_ssize_t start, Py_ssize_t end, object entry):
    cdef Hit h = Hit.__new__(Hit)
    h.start = start
    h.end = end
    h.entry = entry
    return h


cdef inline bint _boundary_char(Py_UCS4 c):
    return c.isalnum() or c == u"@" or c == u"_"


def automaton_hits(str text, str low, object automaton, list out, object case_without_line, object case_ok,
                   object caps_at):
    """The automaton loop of `gazetteer.find` with `_bounded` and `_add_case_checked` inline; the
    case rules themselves are `gazetteer._case_without_line` and `gazetteer.case_ok`."""
    cdef Py_ssize_t n = len(text), start, end, end_idx
    cdef Py_UCS4 prev, nxt
    cdef str found
    cdef tuple entries
    cdef object caps, ok
    for end_idx, value in automaton.iter(low):
        start = end_idx - <Py_ssize_t>(<object>PyTuple_GET_ITEM(<tuple>value, 0)) + 1
        end = end_idx + 1
        if start > 0:
            prev = text[start - 1]
            if _boundary_char(prev) or (prev == u"." and start > 1 and text[start - 2].isalnum()):
                continue
        if end < n:
            nxt = text[end]
            if _boundary_char(nxt) or (nxt == u"." and end + 1 < n and text[end + 1].isalnum()):
                continue
        found = text[start:end]
        if u"\n" in found or u"\t" in found:
            found = u" ".join(found.split())
        entries = <tuple>PyTuple_GET_ITEM(<tuple>value, 1)
        caps = None
        for entry in entries:
            if found == entry.surface and (entry.etype == "TITLE" or not entry.acronym):
                out.append(_hit(start, end, entry))
                continue
            ok = case_without_line(found, entry)
            if ok is None:
                if caps is None:
                    caps = caps_at(start)
                ok = case_ok(found, entry, caps)
            if ok:
                out.append(_hit(start, end, entry))
    return out


@cython.no_gc
@cython.freelist(256)
cdef class Candidate:
    """`spans.Candidate`, with C fields."""
    cdef public Py_ssize_t start
    cdef public Py_ssize_t end
    cdef public str etype
    cdef public str normalized
    cdef public str method
    cdef public double confidence
    cdef public long tier
    cdef public object subtype
    cdef public object merge_rule
    cdef public long rank

    def __init__(self, Py_ssize_t start, Py_ssize_t end, str etype, str normalized, str method, double confidence,
                 long tier, subtype=None, merge_rule=None, long rank=0):
        self.start = start
        self.end = end
        self.etype = etype
        self.normalized = normalized
        self.method = method
        self.confidence = confidence
        self.tier = tier
        self.subtype = subtype
        self.merge_rule = merge_rule
        self.rank = rank

    cdef tuple _key(self):
        return (self.start, self.end, self.etype, self.normalized, self.method, self.confidence, self.tier,
                self.subtype, self.merge_rule, self.rank)

    def __eq__(self, other):
        if type(other) is not Candidate:
            return NotImplemented
        return self._key() == (<Candidate>other)._key()

    __hash__ = None

    def __repr__(self):
        return ("Candidate(start=%r, end=%r, etype=%r, normalized=%r, method=%r, confidence=%r, tier=%r, "
                "subtype=%r, merge_rule=%r, rank=%r)" % self._key())


def _start_key(Candidate c):
    return c.start


def _rank_key(Candidate c):
    return (-c.tier, -(c.end - c.start), c.start, c.rank)


def resolve(list cands):
    """`spans.resolve`: greedy non-overlapping selection, in text order."""
    cdef Candidate c
    cdef Py_ssize_t end = -1, top = 0, k
    cdef list order, out
    cdef bytearray covered
    cdef unsigned char* cov
    cdef bint hit
    if not cands:
        return []
    order = sorted(cands, key=_start_key)
    for c in order:
        if c.start < end or c.end <= c.start:
            break
        end = c.end
    else:
        return order
    order = sorted(cands, key=_rank_key)
    for c in cands:
        if c.end > top:
            top = c.end
    covered = bytearray(top + 1)
    cov = covered
    out = []
    for c in order:
        if c.end <= c.start:
            continue
        hit = False
        for k in range(c.start, c.end):
            if cov[k]:
                hit = True
                break
        if hit:
            continue
        for k in range(c.start, c.end):
            cov[k] = 1
        out.append(c)
    out.sort(key=_start_key)
    return out


def digit_starts(str text):
    """Offsets in `text` where a run of decimal digits (`\\d`: `str.isdecimal`) starts."""
    cdef list out = []
    cdef bint prev = False, d
    cdef Py_ssize_t i = 0
    cdef Py_UCS4 c
    for c in text:
        if c < 128:
            d = 48 <= c <= 57
        else:
            d = c.isdecimal()
        if d and not prev:
            out.append(i)
        prev = d
        i += 1
    return out


def matches_at(object match, str text, list starts):
    """`rx.finditer(text)` as a list, for a pattern `rx` (`match` is `rx.match`) whose every match
    starts at one of `starts` (in ascending order): it is tried there only, left to right, and
    not inside the previous match."""
    cdef list out = []
    cdef Py_ssize_t end = 0, s, k
    for k in range(PyList_GET_SIZE(starts)):
        s = <Py_ssize_t>(<object>PyList_GET_ITEM(starts, k))
        if s < end:
            continue
        m = match(text, s)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


cdef inline bint _ascii_upper(Py_UCS4 c) noexcept:
    return 65 <= c <= 90


cdef inline bint _ascii_alnum(Py_UCS4 c) noexcept:
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122


def acronym_starts(str text):
    """Offsets where `orgs._ACRONYM` may match, for `matches_at`: a capital A-Z with no ASCII
    letter or digit before it (its look-behind refuses any word character), followed by a capital,
    a digit (`\\\\d`) or a hyphen (each of its branches has one of those second)."""
    cdef list out = []
    cdef Py_ssize_t n = len(text), i
    cdef Py_UCS4 c, prev = 32
    for i in range(n - 1):
        c = text[i]
        if _ascii_upper(c) and not _ascii_alnum(prev):
            c = text[i + 1]
            if _ascii_upper(c) or c == 45 or (48 <= c <= 57 if c < 128 else c.isdecimal()):
                out.append(i)
            prev = 65
        else:
            prev = c
    return out


def office_starts(str text):
    """Offsets where `orgs._office_rx()` may match, for `matches_at`: the start of a run of
    capitals A-Z (no capital before it: the look-behind refuses any word character) that a slash
    and a capital follow (every bureau is capitals, some with one slash inside, and an office
    follows it as "/" and capitals)."""
    cdef list out = []
    cdef Py_ssize_t n = len(text), i = 0, j
    while i < n:
        if not _ascii_upper(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n and _ascii_upper(text[j]):
            j += 1
        if j + 1 < n and text[j] == u"/" and _ascii_upper(text[j + 1]):
            out.append(i)
        i = j
    return out
