"""Lower a scheduled kernel to a kernel description: loops, loads through index expressions,
an expression body and reductions. The description is plain data; render.py turns it into
source through the templates.

Indices travel down the expression as either a multi-index over the node's shape
(`("m", (e0, e1, ...))`) or a flat position in its C-contiguous layout (`("f", e)`), where
each `e` is an index expression tree (index.py), printed as C only in the statements. A view turns the multi-index into a flat position in its
source (offset + sum(i_k * stride_k)); an elementwise op hands its index to its sources
unchanged; a flat index meeting a view or a reduction is split with / and %.

Statements are data too (statements.py): a load keeps its index tree, a value the libm
functions it calls, a reduction's extra state its (type, name, initial value).
"""
from dataclasses import dataclass, field

from .index import ZERO, Const, Quotient, Remainder, Var, add, scaled
from .render import CDialect
from .shapes import contiguous_strides, numel
from .statements import Bind, Load, Store

MATMUL_PARALLEL_MIN_WORK = 1 << 20     # multiply-adds below which a product runs on one thread


@dataclass
class Param:
    name: str
    ctype: str          # element type in memory
    numel: int
    dtype: str
    is_output: bool = False
    note: str = ""


@dataclass
class Reduction:
    """An accumulator filled by an inner loop nest, inside the kernel's outer loops."""
    acc: str
    acc_ctype: str
    init: str
    loops: list                 # [(var, extent)]
    body: list                  # statements (statements.py) and Reductions
    update: list                # statements run after body, each iteration (str or Spliced)
    index_var: str = ""         # for argmax/argmin: running position of the best value
    index_expr: object = None   # the index.Expr of that position
    pragma: str = ""            # put before the loops (OpenMP on the C backend)
    op: str = ""                # sum, prod, max, min, argmax, argmin
    src_dt: str = ""            # dtype name of the values reduced
    value: str = ""             # the C expression of the value reduced, each iteration
    extra: list = field(default_factory=list)    # more accumulator declarations (Binds)
    finish: list = field(default_factory=list)   # statements after the loops
    block: int = 0              # >0: sum blocks of this many values in float, then in double
    block_pragma: str = ""      # pragma before the loop over blocks
    lanes: int = 0              # with block: partial sums kept side by side in a block
    trailing: bool = False      # the reduced axes are the source's last ones (row-major inner)
    # when the reduced axes are one block with kept axes after it: the output element's index
    # within those kept axes (an index.Expr), and their element count
    column: object = None
    columns: int = 0
    cascade: dict = None        # a sum in PyTorch's order (see parallel.py): lanes, split
    lane_update: list = field(default_factory=list)    # update of lane `var - var_l`
    lane_state: list = None     # column lanes: [(C type, name, initial value)] carried per lane


@dataclass
class KernelSpec:
    name: str
    kind: str                   # elementwise | reduce | assign
    params: list
    loops: list                 # outer loops [(var, extent)]
    body: list                  # statements (statements.py) and Reductions, in order
    store: object               # the output statement (a Store; "" for matmul)
    fused: list                 # op names, for the comment
    reason: str = ""
    copy_from: str = ""         # assign: the param copied into the output first
    copy_numel: int = 0
    helpers: set = field(default_factory=set)
    source: str = ""
    param_nodes: list = field(default_factory=list)   # the graph node behind each param
    load_indices: dict = field(default_factory=dict)  # param name -> index.Exprs read
    store_index: object = None                        # the index.Expr written
    aliased: set = field(default_factory=set)         # params sharing memory with `out`
    write_note: str = ""                              # where the result goes, and why
    slots: list = field(default_factory=list)         # program buffer slot of each param
    parallel: str = ""                                # pragma before the outer loops
    column_block: int = 0       # >0: a column sum done this many columns at a time (C only),
    column_tail: int = 0        # and its columns after the last whole group this many at a time
    column_lanes: int = 0       # >0: another column reduction, this many columns at a time
    narrow_vectors: bool = False    # C: vectorise with 256-bit vectors (codegen/parallel.py)
    mm: dict = field(default_factory=dict)            # matmul kernels: sizes and strides


def _drop_ones(shape):
    return [s for s in shape if s != 1]


def flat_of(idx, shape):
    """The flat position (an index.Expr) in shape's C-contiguous layout of idx."""
    if idx[0] == "f":
        return idx[1]
    return add([scaled(e, st) for e, st, s in zip(idx[1], contiguous_strides(shape), shape)
                if s != 1])


def multi_of(idx, shape):
    """The multi-index over shape of idx (a flat position split with / and %)."""
    if idx[0] == "m":
        return idx[1]
    f = idx[1]
    if f == ZERO:
        return (ZERO,) * len(shape)
    out, first = [], True
    for size, st in zip(shape, contiguous_strides(shape)):
        if size == 1:
            out.append(ZERO)
            continue
        e = f if st == 1 else Quotient(f, st)
        if not first:
            e = Remainder(e, size)
        first = False
        out.append(e)
    return tuple(out)


def strided(multi, strides, offset):
    """offset + sum(i_k * stride_k): the position a view reads for the multi-index."""
    return add([scaled(e, st) for e, st in zip(multi, strides)] + [Const(offset)])


class KernelBuilder:
    def __init__(self, kernel, number, dialect=None):
        self.k = kernel
        self.d = dialect or CDialect()
        self.params = []
        self.param_of = {}
        self.param_nodes = []
        self.load_indices = {}
        self.tmp = 0
        self.blocks = [[]]
        self.caches = [{}]
        self.helpers = set()
        self.number = number
        self.input_ids = {id(n) for n in kernel.inputs}

    # -- names --------------------------------------------------------------------------
    def fresh(self, prefix="t"):
        self.tmp += 1
        return f"{prefix}{self.tmp - 1}"

    def param(self, n, is_output=False, note=""):
        if id(n) in self.param_of and not is_output:
            return self.param_of[id(n)]
        name = "out" if is_output else f"in{len(self.params) - 1}"
        self.params.append(Param(name, self.d.storage_ctype(n.dtype.name), numel(n.shape),
                                 n.dtype.name, is_output, note))
        self.param_nodes.append(n)
        if not is_output:
            self.param_of[id(n)] = name
        return name

    def emit(self, stmt):
        self.blocks[-1].append(stmt)

    # -- values -------------------------------------------------------------------------
    def _lookup(self, key):
        for cache in reversed(self.caches):
            if key in cache:
                return cache[key]
        return None

    def value(self, n, idx):
        """C expression for node n at idx, emitting the statements it needs.

        Iterative (an explicit stack), so chains thousands of ops deep lower fine.
        """
        stack = [(n, idx)]
        while stack:
            node, ix = stack[-1]
            if self._lookup((id(node), ix)) is not None:
                stack.pop()
                continue
            deps = self._deps(node, ix)
            missing = [d for d in deps if self._lookup((id(d[0]), d[1])) is None]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            args = [self._lookup((id(c), ci)) for c, ci in deps]
            self.caches[-1][(id(node), ix)] = self._compute(node, ix, args)
        return self._lookup((id(n), idx))

    def _is_input(self, n):
        return n is not self.k.root and id(n) in self.input_ids

    def _deps(self, n, idx):
        """The (node, index) values that must exist before n's value at idx."""
        if self._is_input(n) or n.op in ("const", "reduce"):
            return []
        if n.op == "view":
            return [(n.srcs[0], self._through_view(n, idx))]
        return [(s, idx) for s in n.srcs]

    def _compute(self, n, idx, args):
        d = self.d
        dt = n.dtype.name
        if self._is_input(n):
            p = self.param(n, note=self._describe_input(n))
            where = flat_of(idx, n.shape)
            self.load_indices.setdefault(p, set()).add(where)
            name = self.fresh()
            self.emit(Bind(d.value_ctype(dt), name, Load(p, where, *d.load(dt, self.helpers))))
            return name
        if n.op == "const":
            return d.literal(n.arg, dt)
        if n.op == "view":
            return args[0]
        if n.op == "reduce":
            return self._reduce(n, multi_of(idx, n.shape))
        if n.op == "cast":
            return self._bind(dt, d.cast(n.srcs[0].dtype.name, dt, args[0], self.helpers))
        src_dt = n.srcs[-1].dtype.name if n.op == "where" else n.srcs[0].dtype.name
        calls = set()
        expr = d.op(n.op, src_dt, dt, args, self.helpers, calls)
        return self._bind(dt, expr, frozenset(calls))

    def _through_view(self, n, idx):
        """The index into a view's source that reads the element at idx of the view."""
        shape, strides, offset = n.arg
        src_shape = n.srcs[0].shape
        if offset == 0 and strides == contiguous_strides(shape) and \
                numel(shape) == numel(src_shape):
            # a reshape: flat positions agree; when only size-1 dims differ, so do the indices
            if idx[0] == "m" and _drop_ones(shape) == _drop_ones(src_shape):
                kept = iter(e for e, s in zip(idx[1], shape) if s != 1)
                return ("m", tuple(ZERO if s == 1 else next(kept) for s in src_shape))
            return ("f", flat_of(idx, shape))
        return ("f", strided(multi_of(idx, shape), strides, offset))

    def _bind(self, dt, expr, calls=frozenset()):
        name = self.fresh()
        self.emit(Bind(self.d.value_ctype(dt), name, self.d.round_to(dt, expr, self.helpers),
                       calls))
        return name

    def _describe_input(self, n):
        if n.op == "load":
            return n.arg.kind
        if n.op == "extern":
            return f"result of {n.arg.name} (NumPy)"
        return f"result of an earlier kernel ({n.op})"

    def _reduce(self, n, outer):
        d = self.d
        op, axes = n.arg
        src = n.srcs[0]
        src_dt = src.dtype.name
        loops, inner = [], list(outer)
        for ax in axes:
            if src.shape[ax] == 1:
                inner[ax] = ZERO
                continue
            var = f"r{len(loops)}_{self.tmp}"
            loops.append((var, src.shape[ax]))
            inner[ax] = Var(var)
        acc = self.fresh("acc")
        acc_ct = d.acc_ctype(op, src_dt)
        red = Reduction(acc, acc_ct, d.reduce_init(op, src_dt), loops, [], [])
        red.extra = list(d.reduce_extra(op, acc))
        wide = [ax for ax, e in enumerate(src.shape) if e != 1]
        red.trailing = all(ax in axes for ax in wide[len(wide) - len(loops):]) and \
            all(ax not in axes for ax in wide[:len(wide) - len(loops)])
        reduced = [k for k, ax in enumerate(wide) if ax in axes]
        if reduced and not red.trailing and reduced == list(range(reduced[0], reduced[-1] + 1)):
            after = wide[reduced[-1] + 1:]           # kept axes after one block of reduced ones
            extents = [src.shape[ax] for ax in after]
            red.column = add([scaled(outer[ax], st)
                              for ax, st in zip(after, contiguous_strides(extents))])
            red.columns = numel(extents)
        if op in ("argmax", "argmin"):
            red.index_var = self.fresh("best")
            red.index_expr = add([scaled(Var(v), st) for (v, _), st in
                                  zip(loops, contiguous_strides([e for _, e in loops]))])
        self.emit(red)
        self.blocks.append(red.body)
        self.caches.append({})
        v = self.value(src, ("m", tuple(inner)))
        red.update = d.reduce_update(op, src_dt, acc, v, red.index_var, red.index_expr)
        red.op, red.src_dt, red.value = op, src_dt, v
        self.blocks.pop()
        self.caches.pop()
        result = red.index_var if op in ("argmax", "argmin") else acc
        return self._bind(n.dtype.name, d.cast_acc(n.dtype.name, result))

    # -- kernel -------------------------------------------------------------------------
    def build_matmul(self):
        """C[b, i, j] = sum_k A[b, i, k] * B[b, k, j], reading A and B through their views."""
        k = self.k
        red, a, b = k.matmul
        self.param(k.root, is_output=True)
        pa = self.param(a.srcs[0], note="left operand " + self._describe_input(a.srcs[0]))
        pb = self.param(b.srcs[0], note="right operand " + self._describe_input(b.srcs[0]))
        shape = red.srcs[0].shape
        batch = shape[:-3]
        m, kk, n = shape[-3:]
        (_, sa, oa), (_, sb, ob) = a.arg, b.arg
        bmulti = multi_of(("f", Var("bt")), batch) if batch else ()
        mm = dict(a=pa, b=pb, m=m, n=n, k=kk, batch=numel(batch),
                  a_off=strided(bmulti, sa[:-3], oa), b_off=strided(bmulti, sb[:-3], ob),
                  sai=sa[-3], sak=sa[-2], sbk=sb[-2], sbj=sb[-1],
                  ctype=self.d.value_ctype(red.dtype.name),
                  fma="fma" if red.dtype.name == "float64" else "fmaf")
        name = f"k{self.number}_matmul"
        spec = KernelSpec(name, "matmul", self.params, [], [], "", k.fused, k.reason,
                          param_nodes=self.param_nodes, mm=mm)
        # Threads split the column panels (the template's nr columns each); waking them costs
        # ~40 us here, the time of a million multiply-adds on one, and a lone panel (n <= nr)
        # would leave the other threads idle anyway
        panels = numel(batch) * -(-n // (16 if red.dtype.name == "float64" else 32))
        spec.parallel = "#pragma omp for collapse(2) schedule(static)" \
            if numel(shape) >= MATMUL_PARALLEL_MIN_WORK and panels >= 2 else ""
        return spec

    def build(self):
        k, d = self.k, self.d
        if k.kind == "matmul":
            return self.build_matmul()
        root = k.root
        self.param(root, is_output=True)
        if root.op == "assign":
            target, value = root.srcs
            shape, strides, offset = root.arg
            tparam = self.param(target, note=self._describe_input(target))
            loops, multi = self._loops(shape)
            v = self.value(value, ("m", multi))
            where = strided(multi, strides, offset)
            store = Store(where, d.store(root.dtype.name, v, self.helpers))
            copy_from, copy_numel = tparam, self.params[0].numel
        else:
            loops, multi = self._loops(root.shape)
            expr_root = root
            if root.op == "reduce":
                v = self._reduce(root, multi)
            else:
                v = self.value(expr_root, ("m", multi))
            where = flat_of(("m", multi), root.shape)
            store = Store(where, d.store(root.dtype.name, v, self.helpers))
            copy_from, copy_numel = "", 0
        words = (["write"] if root.op == "assign" else []) + _short(k.fused)
        name = f"k{self.number}_" + "_".join(words or ["copy"])
        return KernelSpec(name, k.kind, self.params, loops, self.blocks[0], store, k.fused,
                          k.reason, copy_from, copy_numel, self.helpers,
                          param_nodes=self.param_nodes, load_indices=self.load_indices,
                          store_index=where)

    def _loops(self, shape):
        loops, multi = [], []
        for i, s in enumerate(shape):
            if s == 1:
                multi.append(ZERO)
            else:
                loops.append((f"i{i}", s))
                multi.append(Var(f"i{i}"))
        return loops, tuple(multi)


def _short(fused, limit=4):
    names = []
    for f in fused:
        f = f.split("[")[0]
        if not names or names[-1] != f:
            names.append(f)
    return names[:limit] + (["etc"] if len(names) > limit else [])


def lower(kernel, number, dialect=None):
    """The KernelSpec for one scheduled kernel (buffer slots are bound later)."""
    return KernelBuilder(kernel, number, dialect).build()
