/* lazytensor's front end in C: the per-op hot path, compiled once per machine.
 *
 * Building a graph in Python costs about 3 us an op (objects, dict lookups, frames), more
 * than PyTorch's whole eager op on a tiny tensor. This module does the same work without the
 * interpreter in between, with the Python code it replaces as its specification:
 *
 *   node(op, dtype, shape, srcs, arg)   graph.node: the hash-consed node (same key, same sig,
 *                                       same buffers); a dead node's entry is removed by a C
 *                                       callback instead of a Python one
 *   structure_key(targets, extra)       codegen/run.py's _key_recursive, same result; None
 *                                       when the graph is too deep for its recursion
 *   FastOp(kind, op, reflected, general)
 *                                       a Tensor operator or method (binary, unary or sum())
 *                                       that builds the node and the result tensor itself in
 *                                       the common case: the one fastops.py handles in Python,
 *                                       narrowed further (no casts, no broadcasting); anything
 *                                       else calls `general`, the Python method it replaces
 *
 * It reads and writes the Python classes' __slots__ directly, at offsets taken from their
 * member descriptors when init_graph/init_ops are called, so Node, Storage and Tensor stay
 * plain Python classes and every other module sees no difference.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#define SLOT(o, off) (*(PyObject **)((char *)(o) + (off)))

/* What a weak reference points to, borrowed, or Py_None once it died. (Borrowed is safe
 * here: nothing runs between this and the caller's own reference or use.) */
static PyObject *weak_target(PyObject *ref)
{
#if PY_VERSION_HEX >= 0x030D0000
    PyObject *obj;
    if (PyWeakref_GetRef(ref, &obj) <= 0) {
        PyErr_Clear();
        return Py_None;
    }
    Py_DECREF(obj);        /* still held by whoever keeps it alive */
    return obj;
#else
    return PyWeakref_GET_OBJECT(ref);
#endif
}
#define MAX_DEPTH 2000

/* -- state given by init_graph / init_ops ------------------------------------------------ */
static PyTypeObject *NodeType, *StorageType, *TensorType;
static PyObject *nodes;            /* graph._nodes: key -> weak reference to the node */
static PyObject *plain_arg_ops;    /* ops whose arg is its own key */
static PyObject *no_buffers;       /* graph._NO_BUFFERS */
static PyObject *pending, *prune_at, *prune;      /* storage._pending, _prune_at, _prune */
static PyObject *dtypes_dict;      /* dtypes module's globals: _default_float */
static PyObject *binary_memo, *unary_memo;        /* ops._binary_dtypes, ops._unary_dtypes */

static Py_ssize_t n_op, n_dtype, n_shape, n_srcs, n_arg, n_buffers, n_sig, n_depth;
static Py_ssize_t s_node, s_numel, s_dtype, s_device, s_buffer, s_shared, s_last_view, s_version;
static Py_ssize_t t_storage, t_shape, t_strides, t_offset, t_base, t_requires_grad,
    t_grad_fn, t_grad;
static PyTypeObject *BufferType;
static Py_ssize_t b_array, b_dtype, b_device, b_shared, b_plan, b_ptr;
static Py_ssize_t d_category;      /* dtype.category: 2 for floating point */
static Py_ssize_t dev_type;        /* device.type: "cpu", "cuda" */
static Py_ssize_t ex_result;       /* ExternCall.result */
static PyObject *ExternType;

static PyObject *s_load, *s_const, *s_extern, *s_view, *s_reduce, *s_sum, *s_in, *s_hex,
    *s_node_attr, *s_default_float, *s_cpu, *zero, *one_obj, *empty_tuple;

static int slot_offset(PyObject *cls, const char *name, Py_ssize_t *out)
{
    PyObject *d = PyDict_GetItemString(((PyTypeObject *)cls)->tp_dict, name);
    if (d == NULL || !Py_IS_TYPE(d, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%s has no slot %s", ((PyTypeObject *)cls)->tp_name,
                     name);
        return -1;
    }
    *out = ((PyMemberDescrObject *)d)->d_member->offset;
    return 0;
}

/* a == b for a str a and an interned str b (two interned strings are equal only if they
 * are the same object, and op names written in Python source are interned) */
static int same_str(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    if (!PyUnicode_Check(a) || PyUnicode_CHECK_INTERNED(a))
        return 0;
    return PyUnicode_Compare(a, b) == 0;
}

/* -- hash-consed nodes --------------------------------------------------------------------- */

/* The weak-reference callback of one node: drop its table entry (if still its own). */
typedef struct {
    PyObject_HEAD
    PyObject *key;
} Forget;

static void forget_dealloc(Forget *self)
{
    Py_XDECREF(self->key);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *forget_call(Forget *self, PyObject *args, PyObject *kw)
{
    PyObject *ref = PyTuple_GET_SIZE(args) ? PyTuple_GET_ITEM(args, 0) : NULL;
    PyObject *cur = PyDict_GetItemWithError(nodes, self->key);
    if (cur != NULL && cur == ref && PyDict_DelItem(nodes, self->key) < 0)
        return NULL;
    if (cur == NULL && PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static PyTypeObject ForgetType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lazytensor._front.Forget",
    .tp_basicsize = sizeof(Forget),
    .tp_dealloc = (destructor)forget_dealloc,
    .tp_call = (ternaryfunc)forget_call,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* graph._arg_key */
static PyObject *arg_key(PyObject *op, PyObject *arg)
{
    if (arg == Py_None || PySet_Contains(plain_arg_ops, op) == 1)
        return Py_NewRef(arg);
    if (same_str(op, s_const)) {
        PyObject *name = PyObject_GetAttrString((PyObject *)Py_TYPE(arg), "__name__");
        if (name == NULL)
            return NULL;
        PyObject *v = PyFloat_Check(arg) ? PyObject_CallMethodNoArgs(arg, s_hex)
                                         : Py_NewRef(arg);
        if (v == NULL) {
            Py_DECREF(name);
            return NULL;
        }
        PyObject *key = PyTuple_Pack(2, name, v);
        Py_DECREF(name);
        Py_DECREF(v);
        return key;
    }
    if (same_str(op, s_load) || same_str(op, s_extern))
        return PyLong_FromVoidPtr(arg);
    return Py_NewRef(arg);
}

/* graph._union_buffers */
static PyObject *union_buffers(PyObject *srcs)
{
    PyObject *out = Py_NewRef(no_buffers);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(srcs); i++) {
        PyObject *b = SLOT(PyTuple_GET_ITEM(srcs, i), n_buffers);
        if (b == NULL) {
            PyErr_SetString(PyExc_AttributeError, "buffers");
            goto fail;
        }
        if (b == out || PySet_GET_SIZE(b) == 0)
            continue;
        if (PySet_GET_SIZE(out) == 0) {
            Py_SETREF(out, Py_NewRef(b));
            continue;
        }
        int le = PyObject_RichCompareBool(b, out, Py_LE);
        if (le < 0)
            goto fail;
        if (!le) {
            PyObject *u = PyNumber_Or(out, b);
            if (u == NULL)
                goto fail;
            Py_SETREF(out, u);
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static void set_slot(PyObject *o, Py_ssize_t off, PyObject *v)
{
    SLOT(o, off) = Py_NewRef(v);
}

/* graph.node: srcs must be a tuple. Returns a new reference. */
static PyObject *make_node(PyObject *op, PyObject *dtype, PyObject *shape, PyObject *srcs,
                           PyObject *arg)
{
    PyObject *argk = NULL, *key = NULL, *n = NULL, *forget = NULL, *ref = NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(srcs); i++) {
        if (!Py_IS_TYPE(PyTuple_GET_ITEM(srcs, i), NodeType)) {
            PyErr_SetString(PyExc_TypeError, "a node's srcs must be nodes");
            return NULL;
        }
    }
    argk = arg_key(op, arg);
    if (argk == NULL)
        return NULL;
    /* graph.node keys on the srcs' ids; here the srcs themselves (nodes hash and compare by
     * identity), which saves making the ids. The key keeps nothing alive longer: its entry
     * goes when the node, which holds the srcs anyway, dies. */
    key = PyTuple_Pack(5, op, dtype, shape, srcs, argk);
    if (key == NULL)
        goto done;
    PyObject *found = PyDict_GetItemWithError(nodes, key);
    if (found != NULL) {
        PyObject *live = weak_target(found);
        if (live != Py_None) {
            n = Py_NewRef(live);
            goto done;
        }
    } else if (PyErr_Occurred()) {
        goto done;
    }
    n = NodeType->tp_alloc(NodeType, 0);
    if (n == NULL)
        goto done;
    set_slot(n, n_op, op);
    set_slot(n, n_dtype, dtype);
    set_slot(n, n_shape, shape);
    set_slot(n, n_srcs, srcs);
    set_slot(n, n_arg, arg);
    PyObject *sig = PyTuple_Pack(4, op, dtype, shape, argk);
    if (sig == NULL)
        goto fail;
    SLOT(n, n_sig) = sig;
    Py_ssize_t depth = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(srcs); i++) {
        Py_ssize_t d = PyLong_AsSsize_t(SLOT(PyTuple_GET_ITEM(srcs, i), n_depth)) + 1;
        if (d > depth)
            depth = d;
    }
    if ((SLOT(n, n_depth) = PyLong_FromSsize_t(depth)) == NULL)
        goto fail;
    PyObject *buffers;
    if (same_str(op, s_load)) {
        PyObject *one = PyTuple_Pack(1, arg);
        buffers = one ? PyFrozenSet_New(one) : NULL;
        Py_XDECREF(one);
    } else {
        buffers = union_buffers(srcs);
        if (buffers != NULL && same_str(op, s_extern)) {
            PyObject *one = PyTuple_Pack(1, arg);
            PyObject *set = one ? PyFrozenSet_New(one) : NULL;
            PyObject *u = set ? PyNumber_Or(buffers, set) : NULL;
            Py_XDECREF(one);
            Py_XDECREF(set);
            Py_SETREF(buffers, u);
        }
    }
    if (buffers == NULL)
        goto fail;
    SLOT(n, n_buffers) = buffers;
    forget = PyType_GenericAlloc(&ForgetType, 0);
    if (forget == NULL)
        goto fail;
    ((Forget *)forget)->key = Py_NewRef(key);
    ref = PyWeakref_NewRef(n, forget);
    if (ref == NULL || PyDict_SetItem(nodes, key, ref) < 0)
        goto fail;
    goto done;
fail:
    Py_CLEAR(n);
done:
    Py_XDECREF(argk);
    Py_XDECREF(key);
    Py_XDECREF(forget);
    Py_XDECREF(ref);
    return n;
}

static PyObject *py_node(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 3 || nargs > 5) {
        PyErr_SetString(PyExc_TypeError, "node(op, dtype, shape, srcs=(), arg=None)");
        return NULL;
    }
    PyObject *srcs = nargs > 3 ? args[3] : empty_tuple;
    PyObject *arg = nargs > 4 ? args[4] : Py_None;
    if (!PyTuple_CheckExact(srcs)) {
        PyObject *t = PySequence_Tuple(srcs);
        if (t == NULL)
            return NULL;
        PyObject *n = make_node(args[0], args[1], args[2], t, arg);
        Py_DECREF(t);
        return n;
    }
    return make_node(args[0], args[1], args[2], srcs, arg);
}

/* -- the program cache's structure key ------------------------------------------------------ */

/* The same walk as codegen/run.py's _key_recursive (same order, same inputs), written as
 * numbers instead of nested tuples: each node's part is its sig, or for an input its
 * ("in", dtype, shape), as the address of one canonical copy of that tuple (kept for good in
 * `interned`, so an address never stands for two different parts), then the positions of its
 * srcs. The key is those numbers as bytes: hashing and comparing it is a memcmp, where the
 * tuple key cost a recursive hash and compare on every realisation. */
static PyObject *interned;

typedef struct {
    PyObject **keys;     /* open addressing by node address */
    Py_ssize_t *pos;
    Py_ssize_t mask;
    Py_ssize_t *out;     /* the key's numbers */
    Py_ssize_t len, cap;
    PyObject *inputs;
    Py_ssize_t n_parts;
    int pending_extern;
} KeyWalk;

static Py_ssize_t *map_slot(KeyWalk *w, PyObject *n, int *found)
{
    size_t h = ((size_t)n >> 4) * 0x9E3779B97F4A7C15ull;
    for (Py_ssize_t i = (Py_ssize_t)(h >> 20) & w->mask;; i = (i + 1) & w->mask) {
        if (w->keys[i] == n) {
            *found = 1;
            return &w->pos[i];
        }
        if (w->keys[i] == NULL) {
            *found = 0;
            w->keys[i] = n;
            return &w->pos[i];
        }
    }
}

static int map_grow(KeyWalk *w)
{
    Py_ssize_t old = w->mask + 1, size = 2 * old;
    PyObject **keys = PyMem_Calloc(size, sizeof(PyObject *));
    Py_ssize_t *pos = PyMem_Malloc(size * sizeof(Py_ssize_t));
    if (keys == NULL || pos == NULL) {
        PyMem_Free(keys);
        PyMem_Free(pos);
        PyErr_NoMemory();
        return -1;
    }
    PyObject **old_keys = w->keys;
    Py_ssize_t *old_pos = w->pos;
    w->keys = keys;
    w->pos = pos;
    w->mask = size - 1;
    for (Py_ssize_t i = 0; i < old; i++) {
        if (old_keys[i] != NULL) {
            int found;
            *map_slot(w, old_keys[i], &found) = old_pos[i];
        }
    }
    PyMem_Free(old_keys);
    PyMem_Free(old_pos);
    return 0;
}

static int emit(KeyWalk *w, Py_ssize_t v)
{
    if (w->len == w->cap) {
        Py_ssize_t cap = 2 * w->cap;
        Py_ssize_t *out = PyMem_Realloc(w->out, cap * sizeof(Py_ssize_t));
        if (out == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        w->out = out;
        w->cap = cap;
    }
    w->out[w->len++] = v;
    return 0;
}

/* The canonical copy of tuple t (stolen), borrowed: it lives as long as `interned`. */
static PyObject *intern_part(PyObject *t)
{
    if (t == NULL)
        return NULL;
    PyObject *canon = PyDict_SetDefault(interned, t, t);
    Py_DECREF(t);
    return canon;
}

static int is_computed_extern(PyObject *n, int *out)
{
    PyObject *arg = SLOT(n, n_arg);
    if (ExternType == NULL || !PyObject_TypeCheck(arg, (PyTypeObject *)ExternType)) {
        PyObject *r = PyObject_GetAttrString(arg, "result");
        if (r == NULL)
            return -1;
        *out = r != Py_None;
        Py_DECREF(r);
        return 0;
    }
    PyObject *r = SLOT(arg, ex_result);
    *out = r != NULL && r != Py_None;
    return 0;
}

/* The position of n's part (appending the parts of n and of what it reads); -1 on error,
 * -2 when too deep. */
static Py_ssize_t visit(KeyWalk *w, PyObject *n, int depth)
{
    int found;
    Py_ssize_t *at = map_slot(w, n, &found);
    if (found)
        return *at;
    w->keys[at - w->pos] = NULL;        /* not placed until its srcs are */
    if (!Py_IS_TYPE(n, NodeType)) {
        PyErr_SetString(PyExc_TypeError, "structure_key takes nodes");
        return -1;
    }
    if (depth > MAX_DEPTH)
        return -2;
    PyObject *op = SLOT(n, n_op);
    int input = same_str(op, s_load), is_extern = !input && same_str(op, s_extern);
    if (is_extern && is_computed_extern(n, &input) < 0)
        return -1;
    if (input) {
        PyObject *part = intern_part(PyTuple_Pack(3, s_in, SLOT(n, n_dtype), SLOT(n, n_shape)));
        if (part == NULL || emit(w, -1) < 0 || emit(w, (Py_ssize_t)part) < 0 ||
            emit(w, PyList_GET_SIZE(w->inputs)) < 0 || PyList_Append(w->inputs, n) < 0)
            return -1;
    } else {
        w->pending_extern |= is_extern;
        PyObject *srcs = SLOT(n, n_srcs);
        Py_ssize_t k = PyTuple_GET_SIZE(srcs);
        Py_ssize_t first = w->len;
        if (emit(w, k) < 0 || emit(w, 0) < 0)
            return -1;
        for (Py_ssize_t j = 0; j < k; j++)
            if (emit(w, 0) < 0)
                return -1;
        for (Py_ssize_t j = 0; j < k; j++) {
            Py_ssize_t p = visit(w, PyTuple_GET_ITEM(srcs, j), depth + 1);
            if (p < 0)
                return p;
            w->out[first + 2 + j] = p;
        }
        PyObject *sig = SLOT(n, n_sig);
        PyObject *part = sig ? PyDict_SetDefault(interned, sig, sig) : NULL;
        if (part == NULL)
            return -1;
        w->out[first + 1] = (Py_ssize_t)part;
    }
    if (2 * (w->n_parts + 1) > w->mask && map_grow(w) < 0)
        return -1;
    Py_ssize_t pos = w->n_parts++;
    *map_slot(w, n, &found) = pos;
    return pos;
}

static PyObject *py_structure_key(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "structure_key(targets, extra)");
        return NULL;
    }
    PyObject *targets = PySequence_Fast(args[0], "targets"), *extra = NULL, *result = NULL;
    if (targets == NULL)
        return NULL;
    KeyWalk w = {PyMem_Calloc(64, sizeof(PyObject *)), PyMem_Malloc(64 * sizeof(Py_ssize_t)),
                 63, PyMem_Malloc(256 * sizeof(Py_ssize_t)), 0, 256, PyList_New(0), 0, 0};
    if (w.keys == NULL || w.pos == NULL || w.out == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (w.inputs == NULL)
        goto done;
    extra = PySequence_Fast(args[1], "extra");
    if (extra == NULL)
        goto done;
    for (int round = 0; round < 2; round++) {
        PyObject *seq = round ? extra : targets;
        for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(seq); j++) {
            Py_ssize_t p = visit(&w, PySequence_Fast_GET_ITEM(seq, j), 0);
            if (p == -2) {
                result = Py_NewRef(Py_None);
                goto done;
            }
            if (p < 0)
                goto done;
        }
    }
    Py_ssize_t nt = PySequence_Fast_GET_SIZE(targets);
    if (emit(&w, -2) < 0)
        goto done;
    for (Py_ssize_t j = 0; j < nt; j++) {
        int found;
        Py_ssize_t *at = map_slot(&w, PySequence_Fast_GET_ITEM(targets, j), &found);
        if (emit(&w, *at) < 0)
            goto done;
    }
    PyObject *key = PyBytes_FromStringAndSize((const char *)w.out, w.len * sizeof(Py_ssize_t));
    if (key == NULL)
        goto done;
    result = Py_BuildValue("(NOO)", key, w.inputs, w.pending_extern ? Py_True : Py_False);
done:
    PyMem_Free(w.keys);
    PyMem_Free(w.pos);
    PyMem_Free(w.out);
    Py_XDECREF(w.inputs);
    Py_XDECREF(targets);
    Py_XDECREF(extra);
    return result;
}

/* -- fast operators ---------------------------------------------------------------------- */

enum { BINARY, UNARY, SUM, ITEM, INPLACE, RECORDED, POW, MATMUL, TRANSPOSE, VIEW, MEAN };

/* The last dtype answer an operator used, and what it was for (default dtype, operand
 * dtypes or scalar type, 0-dim flags): ops' memo answers never change, so a loop's repeated
 * op skips building the memo's key. */
typedef struct {
    PyObject *deflt, *x, *y, *found;
    int x0, y0;
} LastAnswer;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    int kind, reflected;
    int scalar_input;      /* a float scalar operand on the CPU is graph.scalar's input */
    PyObject *op, *general;
    LastAnswer last;
} FastOp;

static PyObject *remembered(LastAnswer *c, PyObject *deflt, PyObject *x, int x0, PyObject *y,
                            int y0)
{
    if (c->found != NULL && c->deflt == deflt && c->x == x && c->x0 == x0 && c->y == y &&
        c->y0 == y0)
        return c->found;
    return NULL;
}

static void remember(LastAnswer *c, PyObject *deflt, PyObject *x, int x0, PyObject *y, int y0,
                     PyObject *found)
{
    /* dtypes and the scalar types live for good; the answer is held */
    c->deflt = deflt;
    c->x = x;
    c->x0 = x0;
    c->y = y;
    c->y0 = y0;
    Py_XSETREF(c->found, Py_NewRef(found));
}

/* Row-major strides of shape (a size-0 dim counts as 1): shapes.contiguous_strides. */
static PyObject *contiguous_strides(PyObject *shape)
{
    Py_ssize_t nd = PyTuple_GET_SIZE(shape);
    PyObject *out = PyTuple_New(nd);
    long long acc = 1;
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = nd - 1; i >= 0; i--) {
        PyObject *v = PyLong_FromLongLong(acc);
        if (v == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, i, v);
        long long s = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
        if (s == -1 && PyErr_Occurred()) {
            Py_DECREF(out);
            return NULL;
        }
        acc *= s > 1 ? s : 1;
    }
    return out;
}

/* graph.reshape(n, shape): n read in order through `shape` (a view node). New reference. */
static PyObject *reshape_node(PyObject *n, PyObject *shape)
{
    PyObject *strides = contiguous_strides(shape);
    PyObject *arg = strides ? PyTuple_Pack(3, shape, strides, zero) : NULL;
    PyObject *srcs = arg ? PyTuple_Pack(1, n) : NULL;
    PyObject *v = srcs ? make_node(s_view, SLOT(n, n_dtype), shape, srcs, arg) : NULL;
    Py_XDECREF(strides);
    Py_XDECREF(arg);
    Py_XDECREF(srcs);
    return v;
}

/* 1 when the tuple `strides` is shape's row-major strides, 0 when not, -1 on error. */
static int is_contiguous(PyObject *shape, PyObject *strides)
{
    Py_ssize_t nd = PyTuple_GET_SIZE(shape);
    if (!PyTuple_CheckExact(strides) || PyTuple_GET_SIZE(strides) != nd)
        return 0;
    long long acc = 1;
    for (Py_ssize_t i = nd - 1; i >= 0; i--) {
        long long st = PyLong_AsLongLong(PyTuple_GET_ITEM(strides, i));
        long long s = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
        if (PyErr_Occurred())
            return -1;
        if (st != acc)
            return 0;
        acc *= s > 1 ? s : 1;
    }
    return 1;
}

static int tuple_eq(PyObject *a, PyObject *b)
{
    return a == b ? 1 : PyObject_RichCompareBool(a, b, Py_EQ);
}

/* storage.DEPTH_LIMIT and storage._realize_deep (init_bound) */
static PyObject *depth_limit, *realize_deep;
static int realize_past(PyObject *st, Py_ssize_t num, Py_ssize_t den);

/* Tensor._node: the node t reads (a new reference). The common cases here, the rest by the
 * Python property (Storage.read_view). */
static PyObject *node_of(PyObject *t)
{
    PyObject *st = SLOT(t, t_storage);
    if (st != NULL && SLOT(st, s_node) != NULL && realize_past(st, 1, 1) < 0)
        return NULL;                                    /* Storage.read_view's depth bound */
    PyObject *shape = SLOT(t, t_shape), *strides = SLOT(t, t_strides), *off = SLOT(t, t_offset);
    if (st == NULL || shape == NULL || strides == NULL || off == NULL ||
        SLOT(st, s_shared) != Py_False || SLOT(st, s_node) == NULL)
        return PyObject_GetAttr(t, s_node_attr);
    PyObject *n = SLOT(st, s_node);
    if (off == zero || (PyLong_CheckExact(off) && PyLong_AsLong(off) == 0)) {
        int eq = tuple_eq(shape, SLOT(n, n_shape));
        if (eq < 0)
            return NULL;
        if (eq) {
            int c = is_contiguous(shape, strides);
            if (c < 0)
                return NULL;
            if (c)
                return Py_NewRef(n);
        }
    }
    PyObject *last = SLOT(st, s_last_view);
    if (last != NULL && PyTuple_CheckExact(last) && PyTuple_GET_SIZE(last) == 4) {
        int eq = tuple_eq(PyTuple_GET_ITEM(last, 0), shape);
        if (eq > 0)
            eq = tuple_eq(PyTuple_GET_ITEM(last, 1), strides);
        if (eq > 0)
            eq = PyObject_RichCompareBool(PyTuple_GET_ITEM(last, 2), off, Py_EQ);
        if (eq < 0)
            return NULL;
        if (eq)
            return Py_NewRef(PyTuple_GET_ITEM(last, 3));
    }
    /* the whole storage read in order through another shape (a 0-dim parameter over its
     * one-element storage, after each update): graph.view's reshape node, kept as the
     * storage's last view as Storage.read_view keeps it */
    if (off == zero || (PyLong_CheckExact(off) && PyLong_AsLong(off) == 0)) {
        int c = is_contiguous(shape, strides);
        long long have = 1, want = 1;
        PyObject *whole = SLOT(n, n_shape);
        for (Py_ssize_t i = 0; c > 0 && i < PyTuple_GET_SIZE(shape); i++)
            have *= PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
        for (Py_ssize_t i = 0; c > 0 && i < PyTuple_GET_SIZE(whole); i++)
            want *= PyLong_AsLongLong(PyTuple_GET_ITEM(whole, i));
        if (c < 0 || PyErr_Occurred())
            return NULL;
        if (c && have == want) {
            PyObject *v = reshape_node(n, shape);
            PyObject *kept = v ? PyTuple_Pack(4, shape, strides, off, v) : NULL;
            if (kept == NULL) {
                Py_XDECREF(v);
                return NULL;
            }
            Py_SETREF(SLOT(st, s_last_view), kept);
            return v;
        }
    }
    return PyObject_GetAttr(t, s_node_attr);
}

/* storage._realize_deep(st) when st's version is deeper than num/den of
 * storage.DEPTH_LIMIT (rounded down, as Python's integer division does). 0, or -1 on
 * error. */
static int realize_past(PyObject *st, Py_ssize_t num, Py_ssize_t den)
{
    if (depth_limit == NULL)
        return 0;
    Py_ssize_t most = PyLong_AsSsize_t(PyList_GET_ITEM(depth_limit, 0));
    Py_ssize_t depth = PyLong_AsSsize_t(SLOT(SLOT(st, s_node), n_depth));
    if (PyErr_Occurred())
        return -1;
    if (depth <= most * num / den)
        return 0;
    PyObject *r = PyObject_CallOneArg(realize_deep, st);
    if (r == NULL)
        return -1;
    Py_DECREF(r);
    return 0;
}

/* storage._note_pending(st): st was given a pending node. 0, or -1 on error. */
static int note_pending(PyObject *st)
{
    PyObject *ref = PyWeakref_NewRef(st, NULL);
    if (ref == NULL || PyList_Append(pending, ref) < 0) {
        Py_XDECREF(ref);
        return -1;
    }
    /* A weak reference without a callback cannot be part of a cycle: the collector need not
     * see it. (Tracked, the _pending list's references outlive a few collections, get
     * promoted, and set off a full collection of the process every ~12000 tiny ops.) */
    PyObject_GC_UnTrack(ref);
    Py_DECREF(ref);
    Py_ssize_t limit = PyLong_AsSsize_t(PyList_GET_ITEM(prune_at, 0));
    if (limit == -1 && PyErr_Occurred())
        return -1;
    if (PyList_GET_SIZE(pending) >= limit) {
        PyObject *r = PyObject_CallNoArgs(prune);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return realize_past(st, 2, 1);      /* storage._note_pending's backstop */
}

/* Tensor._from_node(n, device): a new tensor owning a new storage whose pending value is n
 * (storage._note_pending included). Steals n. */
static PyObject *result_tensor(PyObject *n, PyObject *device)
{
    PyObject *st = NULL, *t = NULL, *ref = NULL;
    if (n == NULL)
        return NULL;
    PyObject *shape = SLOT(n, n_shape);
    long long numel = 1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); i++)
        numel *= PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
    if (PyErr_Occurred())
        goto fail;
    st = StorageType->tp_alloc(StorageType, 0);
    if (st == NULL)
        goto fail;
    PyObject *numel_obj = PyLong_FromLongLong(numel);
    if (numel_obj == NULL)
        goto fail;
    SLOT(st, s_numel) = numel_obj;
    set_slot(st, s_buffer, Py_None);
    set_slot(st, s_dtype, SLOT(n, n_dtype));
    set_slot(st, s_device, device);
    set_slot(st, s_shared, Py_False);
    set_slot(st, s_last_view, Py_None);
    set_slot(st, s_version, zero);
    SLOT(st, s_node) = n;
    n = NULL;
    if (note_pending(st) < 0)
        goto fail;
    t = TensorType->tp_alloc(TensorType, 0);
    if (t == NULL)
        goto fail;
    PyObject *strides = contiguous_strides(shape);
    if (strides == NULL)
        goto fail;
    SLOT(t, t_strides) = strides;
    SLOT(t, t_storage) = st;
    st = NULL;
    set_slot(t, t_shape, shape);
    set_slot(t, t_offset, zero);
    set_slot(t, t_base, Py_None);
    set_slot(t, t_requires_grad, Py_False);
    set_slot(t, t_grad_fn, Py_None);
    set_slot(t, t_grad, Py_None);
    return t;
fail:
    Py_XDECREF(n);
    Py_XDECREF(st);
    Py_XDECREF(t);
    Py_XDECREF(ref);
    return NULL;
}

/* The running thread's grad mode as autograd_graph sets it (set_grad_mode); a new thread
 * starts with it on, as Python's side does. */
static _Thread_local int grad_off;

static PyObject *py_set_grad_mode(PyObject *self, PyObject *enabled)
{
    grad_off = !PyObject_IsTrue(enabled);
    Py_RETURN_NONE;
}

/* A tensor the fast path may use as `kind` does: a Tensor (a Parameter too; a tensor
 * backward released has no Storage and is refused below), and nothing for autograd
 * to record: it does not require grad, or grad mode is off (an in-place write then only
 * skips leaves: a non-leaf's node must note the write), or the op is item(), or the op is
 * one fastgrad records (RECORDED). */
static int plain_tensor(PyObject *t, int kind)
{
    if (!PyObject_TypeCheck(t, TensorType) || SLOT(t, t_requires_grad) == NULL)
        return 0;
    if (SLOT(t, t_requires_grad) != Py_False && kind != ITEM && kind != RECORDED &&
        !(grad_off && (kind != INPLACE || SLOT(t, t_grad_fn) == Py_None)))
        return 0;
    return SLOT(t, t_storage) != NULL && Py_IS_TYPE(SLOT(t, t_storage), StorageType) &&
           SLOT(t, t_shape) != NULL && PyTuple_CheckExact(SLOT(t, t_shape)) &&
           SLOT(SLOT(t, t_storage), s_node) != NULL;
}

static PyObject *kind_of(PyObject *t)
{
    PyObject *shape = SLOT(t, t_shape);
    return PyTuple_Pack(2, SLOT(SLOT(t, t_storage), s_dtype),
                        PyTuple_GET_SIZE(shape) ? Py_False : Py_True);
}

static int is_float_dtype(PyObject *d)
{
    PyObject *c = SLOT(d, d_category);
    return c != NULL && PyLong_CheckExact(c) && PyLong_AsLong(c) == 2;
}

/* ops._binary_dtypes[key] when it is there and needs no float32 operands: borrowed, or
 * NULL (no exception) to take the general path. */
static PyObject *memo_get(PyObject *memo, PyObject *key)
{
    if (key == NULL)
        return NULL;
    PyObject *found = PyDict_GetItemWithError(memo, key);
    Py_DECREF(key);
    return found;
}

/* Recent scalar operands' nodes (a const, or graph.scalar's input read through a view),
 * kept alive so that the same scalar on the same shape is found again instead of rebuilt (a
 * loop's `x * 2` builds one). They hold at most a one-element buffer; the table is emptied
 * when it reaches CONSTS_KEPT. */
#define CONSTS_KEPT 1024
static PyObject *consts, *scalar_fn, *scalar_input_ops;

static PyObject *const_node(PyObject *value, PyObject *dtype, PyObject *shape, int as_input)
{
    double v = PyFloat_AS_DOUBLE(value);
    unsigned long long bits;
    memcpy(&bits, &v, sizeof bits);       /* 0.0 and -0.0 differ, a NaN finds itself */
    PyObject *b = PyLong_FromUnsignedLongLong(bits);
    PyObject *key = b ? PyTuple_Pack(4, b, dtype, shape, as_input ? Py_True : Py_False) : NULL;
    Py_XDECREF(b);
    if (key == NULL)
        return NULL;
    PyObject *n = PyDict_GetItemWithError(consts, key);
    if (n != NULL) {
        Py_DECREF(key);
        return Py_NewRef(n);
    }
    if (PyErr_Occurred())
        n = NULL;
    else if (as_input)
        n = PyObject_CallFunctionObjArgs(scalar_fn, value, dtype, shape, NULL);
    else
        n = make_node(s_const, dtype, shape, empty_tuple, value);
    if (n != NULL && PyDict_GET_SIZE(consts) >= CONSTS_KEPT)
        PyDict_Clear(consts);
    if (n != NULL && PyDict_SetItem(consts, key, n) < 0)
        Py_CLEAR(n);
    Py_DECREF(key);
    return n;
}

/* graph.expand of a 0-dim node n to shape: a view with every stride 0. New reference. */
static PyObject *expand_scalar(PyObject *n, PyObject *shape)
{
    Py_ssize_t nd = PyTuple_GET_SIZE(shape);
    PyObject *strides = PyTuple_New(nd);
    if (strides == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nd; i++)
        PyTuple_SET_ITEM(strides, i, Py_NewRef(zero));
    PyObject *arg = PyTuple_Pack(3, shape, strides, zero);
    PyObject *srcs = arg ? PyTuple_Pack(1, n) : NULL;
    PyObject *v = srcs ? make_node(s_view, SLOT(n, n_dtype), shape, srcs, arg) : NULL;
    Py_DECREF(strides);
    Py_XDECREF(arg);
    Py_XDECREF(srcs);
    return v;
}

/* ops.broadcast_shapes of two shapes (a new tuple), or NULL without an exception when they
 * do not broadcast. */
static PyObject *broadcast_shape(PyObject *x, PyObject *y)
{
    Py_ssize_t nx = PyTuple_GET_SIZE(x), ny = PyTuple_GET_SIZE(y), nd = nx > ny ? nx : ny;
    PyObject *out = PyTuple_New(nd);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nd; i++) {
        PyObject *sx = i < nd - nx ? NULL : PyTuple_GET_ITEM(x, i - (nd - nx));
        PyObject *sy = i < nd - ny ? NULL : PyTuple_GET_ITEM(y, i - (nd - ny));
        long long vx = sx ? PyLong_AsLongLong(sx) : 1, vy = sy ? PyLong_AsLongLong(sy) : 1;
        if (PyErr_Occurred()) {
            Py_DECREF(out);
            return NULL;
        }
        PyObject *pick = vx == vy || vy == 1 ? (sx ? sx : sy) : vx == 1 ? sy : NULL;
        if (pick == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, i, Py_NewRef(pick));
    }
    return out;
}

/* graph.expand(n, shape): n (steals the reference) broadcast to shape, right-aligned, as a
 * view whose strides are 0 along the new and the stretched dims. New reference. */
static PyObject *expand_node(PyObject *n, PyObject *shape)
{
    if (n == NULL)
        return NULL;
    PyObject *own = SLOT(n, n_shape);
    int eq = tuple_eq(own, shape);
    if (eq != 0) {
        if (eq < 0)
            Py_CLEAR(n);
        return n;
    }
    Py_ssize_t nd = PyTuple_GET_SIZE(shape), lead = nd - PyTuple_GET_SIZE(own);
    PyObject *own_strides = contiguous_strides(own), *strides = PyTuple_New(nd);
    PyObject *arg = NULL, *srcs = NULL, *v = NULL;
    if (own_strides == NULL || strides == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < nd; i++) {
        PyObject *st = zero;
        if (i >= lead) {
            long long s = PyLong_AsLongLong(PyTuple_GET_ITEM(own, i - lead));
            long long t = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
            if (PyErr_Occurred())
                goto done;
            if (!(s == 1 && t != 1))
                st = PyTuple_GET_ITEM(own_strides, i - lead);
        }
        PyTuple_SET_ITEM(strides, i, Py_NewRef(st));
    }
    arg = PyTuple_Pack(3, shape, strides, zero);
    srcs = arg ? PyTuple_Pack(1, n) : NULL;
    v = srcs ? make_node(s_view, SLOT(n, n_dtype), shape, srcs, arg) : NULL;
done:
    Py_DECREF(n);
    Py_XDECREF(own_strides);
    Py_XDECREF(strides);
    Py_XDECREF(arg);
    Py_XDECREF(srcs);
    return v;
}

/* 1 when a.op_(b) may be written by write_whole: a is the whole of an unshared storage,
 * contiguous, and b does not read a's memory; 0 when not, -1 on error. */
static int writable_whole(PyObject *a, PyObject *b)
{
    PyObject *st = SLOT(a, t_storage);
    if (SLOT(st, s_shared) != Py_False ||
        (PyObject_TypeCheck(b, TensorType) && SLOT(b, t_storage) == st))
        return 0;
    Py_ssize_t offset = PyLong_AsSsize_t(SLOT(a, t_offset));
    if (offset == -1 && PyErr_Occurred())
        return -1;
    if (offset != 0)
        return 0;
    PyObject *shape = SLOT(a, t_shape);
    long long numel = 1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); i++)
        numel *= PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
    long long owned = PyLong_AsLongLong(SLOT(st, s_numel));
    if (PyErr_Occurred())
        return -1;
    if (numel != owned)
        return 0;
    return is_contiguous(shape, SLOT(a, t_strides));
}

/* storage.set for a.op_(b): n (of a's shape) becomes the new version of a's storage, read as
 * the storage's own shape. NotImplemented when n has another dtype. Steals n. */
static PyObject *write_whole(PyObject *a, PyObject *n)
{
    if (n == NULL)
        return NULL;
    PyObject *st = SLOT(a, t_storage);
    if (SLOT(n, n_dtype) != SLOT(st, s_dtype)) {
        Py_DECREF(n);
        return Py_NewRef(Py_NotImplemented);
    }
    PyObject *whole = SLOT(SLOT(st, s_node), n_shape);
    int eq = tuple_eq(SLOT(n, n_shape), whole);
    if (eq < 0) {
        Py_DECREF(n);
        return NULL;
    }
    if (!eq) {
        PyObject *v = reshape_node(n, whole);
        Py_DECREF(n);
        if (v == NULL)
            return NULL;
        n = v;
    }
    Py_SETREF(SLOT(st, s_node), n);
    Py_SETREF(SLOT(st, s_last_view), Py_NewRef(Py_None));
    /* a new version: autograd compares it with the one it saved (Storage.set does the same) */
    PyObject *version = PyNumber_Add(SLOT(st, s_version), one_obj);
    if (version == NULL)
        return NULL;
    Py_SETREF(SLOT(st, s_version), version);
    if (note_pending(st) < 0)
        return NULL;
    if (realize_past(st, 3, 4) < 0)       /* storage._written_bound */
        return NULL;
    return Py_NewRef(a);
}

static PyObject *binary(FastOp *f, PyObject *a, PyObject *b, int recording)
{
    if (f->kind == INPLACE) {
        int ok = writable_whole(a, b);
        if (ok <= 0)
            return ok < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    }
    PyObject *deflt = PyDict_GetItemWithError(dtypes_dict, s_default_float);
    if (deflt == NULL)
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
    PyObject *sa = SLOT(a, t_storage), *shape = SLOT(a, t_shape), *found, *n;
    PyObject *dtype_a = SLOT(sa, s_dtype), *device = SLOT(sa, s_device);
    if (PyObject_TypeCheck(b, TensorType)) {
        if (!plain_tensor(b, recording ? RECORDED : BINARY) ||
            SLOT(SLOT(b, t_storage), s_device) != device)
            return Py_NewRef(Py_NotImplemented);
        PyObject *x = f->reflected ? b : a, *y = f->reflected ? a : b;
        PyObject *dx = SLOT(SLOT(x, t_storage), s_dtype), *dy = SLOT(SLOT(y, t_storage), s_dtype);
        int x0 = PyTuple_GET_SIZE(SLOT(x, t_shape)) == 0, y0 = PyTuple_GET_SIZE(SLOT(y, t_shape)) == 0;
        found = remembered(&f->last, deflt, dx, x0, dy, y0);
        if (found == NULL) {
            PyObject *kx = kind_of(x), *ky = kind_of(y);
            PyObject *key = kx && ky ? PyTuple_Pack(4, f->op, deflt, kx, ky) : NULL;
            Py_XDECREF(kx);
            Py_XDECREF(ky);
            if (key == NULL && PyErr_Occurred())
                return NULL;
            found = memo_get(binary_memo, key);
            if (found == NULL)
                return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
            remember(&f->last, deflt, dx, x0, dy, y0, found);
        }
        if (!PyTuple_CheckExact(found) || PyTuple_GET_SIZE(found) != 3 ||
            PyObject_IsTrue(PyTuple_GET_ITEM(found, 2)))
            return Py_NewRef(Py_NotImplemented);
        PyObject *compute = PyTuple_GET_ITEM(found, 1);
        int eq = tuple_eq(shape, SLOT(b, t_shape));
        if (eq < 0)
            return NULL;
        /* other shapes broadcast (ops.broadcast_shapes; the general path reports those that
         * cannot), each operand read through graph.expand's view; an in-place op keeps a's */
        PyObject *wide = NULL;
        if (!eq) {
            wide = broadcast_shape(shape, SLOT(b, t_shape));
            if (wide == NULL)
                return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
            int same = f->kind != INPLACE || tuple_eq(wide, shape);
            if (same <= 0) {
                Py_DECREF(wide);
                return same < 0 ? NULL : Py_NewRef(Py_NotImplemented);
            }
        }
        if (dtype_a != compute || SLOT(SLOT(b, t_storage), s_dtype) != compute) {
            Py_XDECREF(wide);
            return Py_NewRef(Py_NotImplemented);
        }
        PyObject *xn = node_of(x), *yn = xn ? node_of(y) : NULL;
        if (wide != NULL) {
            xn = expand_node(xn, wide);         /* (each steals its node) */
            yn = expand_node(yn, wide);
            if (xn == NULL || yn == NULL) {
                Py_CLEAR(xn);
                Py_CLEAR(yn);
            } else {
                shape = SLOT(xn, n_shape);      /* (xn outlives its use below) */
            }
            Py_DECREF(wide);
        }
        PyObject *srcs = xn && yn ? PyTuple_Pack(2, xn, yn) : NULL;
        Py_XDECREF(xn);
        Py_XDECREF(yn);
        if (srcs == NULL)
            return NULL;
        n = make_node(f->op, PyTuple_GET_ITEM(found, 0), shape, srcs, Py_None);
        Py_DECREF(srcs);
        return f->kind == INPLACE ? write_whole(a, n) : result_tensor(n, device);
    }
    PyTypeObject *tb = Py_TYPE(b);
    if (tb != &PyFloat_Type && tb != &PyLong_Type)
        return Py_NewRef(Py_NotImplemented);
    int a0 = PyTuple_GET_SIZE(shape) == 0;
    found = remembered(&f->last, deflt, dtype_a, a0, (PyObject *)tb, -1);
    if (found == NULL) {
        PyObject *ka = kind_of(a);
        if (ka == NULL)
            return NULL;
        PyObject *key = f->reflected ? PyTuple_Pack(4, f->op, deflt, (PyObject *)tb, ka)
                                     : PyTuple_Pack(4, f->op, deflt, ka, (PyObject *)tb);
        Py_DECREF(ka);
        if (key == NULL)
            return NULL;
        found = memo_get(binary_memo, key);
        if (found == NULL)
            return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
        remember(&f->last, deflt, dtype_a, a0, (PyObject *)tb, -1, found);
    }
    if (!PyTuple_CheckExact(found) || PyTuple_GET_SIZE(found) != 3 ||
        PyObject_IsTrue(PyTuple_GET_ITEM(found, 2)))
        return Py_NewRef(Py_NotImplemented);
    PyObject *compute = PyTuple_GET_ITEM(found, 1);
    if (dtype_a != compute || !is_float_dtype(compute))
        return Py_NewRef(Py_NotImplemented);
    /* ops.scalar_value for a floating-point dtype: float(b) */
    PyObject *value = tb == &PyFloat_Type ? Py_NewRef(b) : PyNumber_Float(b);
    if (value == NULL)
        return NULL;
    int as_input = 0;
    if (f->scalar_input) {
        PyObject *kind = SLOT(device, dev_type);
        as_input = kind != NULL && same_str(kind, s_cpu);
    }
    PyObject *scalar = const_node(value, compute, shape, as_input);
    Py_DECREF(value);
    if (scalar == NULL)
        return NULL;
    PyObject *tn = node_of(a);
    if (tn == NULL) {
        Py_DECREF(scalar);
        return NULL;
    }
    PyObject *srcs = f->reflected ? PyTuple_Pack(2, scalar, tn) : PyTuple_Pack(2, tn, scalar);
    Py_DECREF(scalar);
    Py_DECREF(tn);
    if (srcs == NULL)
        return NULL;
    n = make_node(f->op, PyTuple_GET_ITEM(found, 0), shape, srcs, Py_None);
    Py_DECREF(srcs);
    return f->kind == INPLACE ? write_whole(a, n) : result_tensor(n, device);
}

/* x ** b for a float32/float64 tensor and a Python float or int: pow(x, b as a literal of
 * x's dtype), the node fastops' pow method builds (a literal, so x ** 2 compiles to x * x). */
static PyObject *s_float32, *s_float64, *s_pow, *s_mul, *s_div;

static PyObject *pow_scalar(PyObject *a, PyObject *b)
{
    PyTypeObject *tb = Py_TYPE(b);
    if (tb != &PyFloat_Type && tb != &PyLong_Type)
        return Py_NewRef(Py_NotImplemented);
    PyObject *sa = SLOT(a, t_storage), *dtype = SLOT(sa, s_dtype);
    PyObject *f32 = PyDict_GetItemWithError(dtypes_dict, s_float32);
    PyObject *f64 = f32 ? PyDict_GetItemWithError(dtypes_dict, s_float64) : NULL;
    if (f64 == NULL)
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
    if (dtype != f32 && dtype != f64)
        return Py_NewRef(Py_NotImplemented);
    PyObject *value = tb == &PyFloat_Type ? Py_NewRef(b) : PyNumber_Float(b);
    if (value == NULL) {            /* an int too big for a float: the general path says so */
        PyErr_Clear();
        return Py_NewRef(Py_NotImplemented);
    }
    PyObject *shape = SLOT(a, t_shape);
    PyObject *exponent = const_node(value, dtype, shape, 0);
    Py_DECREF(value);
    PyObject *tn = exponent ? node_of(a) : NULL;
    PyObject *srcs = tn ? PyTuple_Pack(2, tn, exponent) : NULL;
    Py_XDECREF(exponent);
    Py_XDECREF(tn);
    if (srcs == NULL)
        return NULL;
    PyObject *n = make_node(s_pow, dtype, shape, srcs, Py_None);
    Py_DECREF(srcs);
    return result_tensor(n, SLOT(sa, s_device));
}

/* linalg._operand's node for t (a matrix of an unshared storage): the storage's version
 * read through (shape, strides, t's offset), after Storage.read_view's depth bound. The
 * caller makes sure the view is not a reshape (graph.view would rewrite its strides). */
static PyObject *operand_view(PyObject *t, PyObject *shape, PyObject *strides)
{
    PyObject *st = SLOT(t, t_storage);
    if (realize_past(st, 1, 1) < 0)
        return NULL;
    PyObject *n = SLOT(st, s_node);
    PyObject *arg = PyTuple_Pack(3, shape, strides, SLOT(t, t_offset));
    PyObject *srcs = arg ? PyTuple_Pack(1, n) : NULL;
    PyObject *v = srcs ? make_node(s_view, SLOT(n, n_dtype), shape, srcs, arg) : NULL;
    Py_XDECREF(arg);
    Py_XDECREF(srcs);
    return v;
}

/* a @ b of two float32 (or float64) matrices of one device, unshared storages, with more
 * than one row in a and one column in b: linalg._contract's nodes (the [m, k, n] product
 * summed over k, read as [m, n]). NotImplemented for anything else, which the general path
 * decides (its errors included). */
static PyObject *matmul2d(PyObject *a, PyObject *b, int recording)
{
    if (!PyObject_TypeCheck(b, TensorType) || !plain_tensor(b, recording ? RECORDED : MATMUL))
        return Py_NewRef(Py_NotImplemented);
    PyObject *sa = SLOT(a, t_storage), *sb = SLOT(b, t_storage);
    PyObject *ash = SLOT(a, t_shape), *bsh = SLOT(b, t_shape);
    PyObject *ast = SLOT(a, t_strides), *bst = SLOT(b, t_strides);
    PyObject *dtype = SLOT(sa, s_dtype);
    if (PyTuple_GET_SIZE(ash) != 2 || PyTuple_GET_SIZE(bsh) != 2 || SLOT(sb, s_dtype) != dtype ||
        SLOT(sa, s_device) != SLOT(sb, s_device) || SLOT(sa, s_shared) != Py_False ||
        SLOT(sb, s_shared) != Py_False || !PyTuple_CheckExact(ast) || !PyTuple_CheckExact(bst) ||
        PyTuple_GET_SIZE(ast) != 2 || PyTuple_GET_SIZE(bst) != 2)
        return Py_NewRef(Py_NotImplemented);
    PyObject *f32 = PyDict_GetItemWithError(dtypes_dict, s_float32);
    PyObject *f64 = f32 ? PyDict_GetItemWithError(dtypes_dict, s_float64) : NULL;
    if (f64 == NULL)
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
    if (dtype != f32 && dtype != f64)
        return Py_NewRef(Py_NotImplemented);
    long long m = PyLong_AsLongLong(PyTuple_GET_ITEM(ash, 0));
    long long k = PyLong_AsLongLong(PyTuple_GET_ITEM(ash, 1));
    long long k2 = PyLong_AsLongLong(PyTuple_GET_ITEM(bsh, 0));
    long long n = PyLong_AsLongLong(PyTuple_GET_ITEM(bsh, 1));
    if (PyErr_Occurred())
        return NULL;
    if (m < 2 || n < 2 || k < 1 || k != k2)
        return Py_NewRef(Py_NotImplemented);
    PyObject *shape = NULL, *a_strides = NULL, *b_strides = NULL, *va = NULL, *vb = NULL,
             *srcs = NULL, *product = NULL, *kept = NULL, *axes = NULL, *arg = NULL,
             *total = NULL, *out_shape = NULL, *out = NULL;
    shape = PyTuple_Pack(3, PyTuple_GET_ITEM(ash, 0), PyTuple_GET_ITEM(ash, 1),
                         PyTuple_GET_ITEM(bsh, 1));
    a_strides = PyTuple_Pack(3, PyTuple_GET_ITEM(ast, 0), PyTuple_GET_ITEM(ast, 1), zero);
    b_strides = PyTuple_Pack(3, zero, PyTuple_GET_ITEM(bst, 0), PyTuple_GET_ITEM(bst, 1));
    if (shape == NULL || a_strides == NULL || b_strides == NULL)
        goto done;
    va = operand_view(a, shape, a_strides);
    vb = va ? operand_view(b, shape, b_strides) : NULL;
    srcs = vb ? PyTuple_Pack(2, va, vb) : NULL;
    product = srcs ? make_node(s_mul, dtype, shape, srcs, Py_None) : NULL;
    kept = product ? PyTuple_Pack(3, PyTuple_GET_ITEM(ash, 0), one_obj,
                                  PyTuple_GET_ITEM(bsh, 1)) : NULL;
    axes = kept ? PyTuple_Pack(1, one_obj) : NULL;
    arg = axes ? PyTuple_Pack(2, s_sum, axes) : NULL;
    if (arg == NULL)
        goto done;
    Py_SETREF(srcs, PyTuple_Pack(1, product));
    total = srcs ? make_node(s_reduce, dtype, kept, srcs, arg) : NULL;
    out_shape = total ? PyTuple_Pack(2, PyTuple_GET_ITEM(ash, 0), PyTuple_GET_ITEM(bsh, 1)) : NULL;
    if (out_shape != NULL)
        out = result_tensor(reshape_node(total, out_shape), SLOT(sa, s_device));
done:
    Py_XDECREF(shape);
    Py_XDECREF(a_strides);
    Py_XDECREF(b_strides);
    Py_XDECREF(va);
    Py_XDECREF(vb);
    Py_XDECREF(srcs);
    Py_XDECREF(product);
    Py_XDECREF(kept);
    Py_XDECREF(axes);
    Py_XDECREF(arg);
    Py_XDECREF(total);
    Py_XDECREF(out_shape);
    return out;
}

/* Tensor._view: a plain Tensor over a's storage and offset with this shape and these
 * strides (both stolen; NULL for either is an error already set), based on a's base or a,
 * needing no grad. */
static PyObject *view_tensor(PyObject *a, PyObject *shape, PyObject *strides)
{
    PyObject *t = shape && strides ? TensorType->tp_alloc(TensorType, 0) : NULL;
    if (t == NULL) {
        Py_XDECREF(shape);
        Py_XDECREF(strides);
        return NULL;
    }
    SLOT(t, t_shape) = shape;
    SLOT(t, t_strides) = strides;
    set_slot(t, t_storage, SLOT(a, t_storage));
    set_slot(t, t_offset, SLOT(a, t_offset));
    set_slot(t, t_base, SLOT(a, t_base) == Py_None ? a : SLOT(a, t_base));
    set_slot(t, t_requires_grad, Py_False);
    set_slot(t, t_grad_fn, Py_None);
    set_slot(t, t_grad, Py_None);
    return t;
}

/* x.t() of a matrix: Tensor._view with the two dims swapped (a plain Tensor sharing x's
 * storage, based on x's base or x). NotImplemented for other ranks. */
static PyObject *transposed(PyObject *a)
{
    PyObject *shape = SLOT(a, t_shape), *strides = SLOT(a, t_strides);
    if (PyTuple_GET_SIZE(shape) != 2 || strides == NULL || !PyTuple_CheckExact(strides) ||
        PyTuple_GET_SIZE(strides) != 2 || SLOT(a, t_offset) == NULL || SLOT(a, t_base) == NULL)
        return Py_NewRef(Py_NotImplemented);
    return view_tensor(a, PyTuple_Pack(2, PyTuple_GET_ITEM(shape, 1), PyTuple_GET_ITEM(shape, 0)),
                       PyTuple_Pack(2, PyTuple_GET_ITEM(strides, 1), PyTuple_GET_ITEM(strides, 0)));
}

/* x.view(*shape) / x.reshape(*shape) of a tensor laid out row-major (its strides are
 * contiguous_strides of its shape): Tensor._view with the new shape (one -1 inferred) and
 * its row-major strides, as views.view_strides gives them for such a tensor. The sizes are
 * Python ints, given one by one or as one tuple or list. NotImplemented for anything else,
 * and for sizes that do not fit (the general path raises PyTorch's error). */
static PyObject *viewed(PyObject *a, PyObject *const *dims, Py_ssize_t n)
{
    PyObject *shape = SLOT(a, t_shape), *strides = SLOT(a, t_strides);
    if (strides == NULL || SLOT(a, t_offset) == NULL || SLOT(a, t_base) == NULL)
        return Py_NewRef(Py_NotImplemented);
    if (n == 1 && (PyTuple_Check(dims[0]) || PyList_Check(dims[0]))) {
        PyObject *seq = dims[0];
        n = PySequence_Fast_GET_SIZE(seq);
        dims = PySequence_Fast_ITEMS(seq);
    }
    if (n > 64)
        return Py_NewRef(Py_NotImplemented);
    long long sizes[64], known = 1, numel = 1;
    Py_ssize_t infer = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyLong_CheckExact(dims[i]))
            return Py_NewRef(Py_NotImplemented);
        sizes[i] = PyLong_AsLongLong(dims[i]);
        if (sizes[i] == -1 && PyErr_Occurred())
            return NULL;
        if (sizes[i] == -1 && infer < 0)
            infer = i;
        else if (sizes[i] < 0)
            return Py_NewRef(Py_NotImplemented);
        else
            known *= sizes[i];
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); i++)
        numel *= PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
    if (PyErr_Occurred())
        return NULL;
    if (infer >= 0) {
        if (known == 0 || numel % known)
            return Py_NewRef(Py_NotImplemented);
        sizes[infer] = numel / known;
    } else if (known != numel) {
        return Py_NewRef(Py_NotImplemented);
    }
    PyObject *own = contiguous_strides(shape);
    int row_major = own == NULL ? -1 : tuple_eq(own, strides);
    Py_XDECREF(own);
    if (row_major <= 0)
        return row_major < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    PyObject *new_shape = PyTuple_New(n);
    if (new_shape == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = i == infer ? PyLong_FromLongLong(sizes[i]) : Py_NewRef(dims[i]);
        if (v == NULL) {
            Py_DECREF(new_shape);
            return NULL;
        }
        PyTuple_SET_ITEM(new_shape, i, v);
    }
    return view_tensor(a, new_shape, contiguous_strides(new_shape));
}

static PyObject *unary(FastOp *f, PyObject *a)
{
    PyObject *deflt = PyDict_GetItemWithError(dtypes_dict, s_default_float);
    if (deflt == NULL)
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
    PyObject *sa = SLOT(a, t_storage);
    PyObject *found = remembered(&f->last, deflt, SLOT(sa, s_dtype), 0, NULL, 0);
    if (found == NULL) {
        found = memo_get(unary_memo, PyTuple_Pack(3, f->op, SLOT(sa, s_dtype), deflt));
        if (found == NULL)
            return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
        remember(&f->last, deflt, SLOT(sa, s_dtype), 0, NULL, 0, found);
    }
    if (!PyTuple_CheckExact(found) || PyTuple_GET_SIZE(found) != 2 ||
        PyTuple_GET_ITEM(found, 0) == Py_None ||
        (PyTuple_GET_ITEM(found, 1) != Py_None && PyTuple_GET_ITEM(found, 1) != SLOT(sa, s_dtype)))
        return Py_NewRef(Py_NotImplemented);
    PyObject *src = node_of(a);
    if (src == NULL)
        return NULL;
    PyObject *srcs = PyTuple_Pack(1, src);
    Py_DECREF(src);
    if (srcs == NULL)
        return NULL;
    PyObject *n = make_node(f->op, PyTuple_GET_ITEM(found, 0), SLOT(a, t_shape), srcs, Py_None);
    Py_DECREF(srcs);
    return result_tensor(n, SLOT(sa, s_device));
}

/* The nodes of x.sum() of a floating-point tensor with at least one dim (ops.reduce's): the
 * 0-dim view of the whole reduction. New reference; NotImplemented for other tensors. */
static PyObject *sum_node(PyObject *a)
{
    PyObject *sa = SLOT(a, t_storage), *shape = SLOT(a, t_shape), *dtype = SLOT(sa, s_dtype);
    Py_ssize_t nd = PyTuple_GET_SIZE(shape);
    if (nd == 0 || !is_float_dtype(dtype))
        return Py_NewRef(Py_NotImplemented);
    PyObject *kept = PyTuple_New(nd), *axes = PyTuple_New(nd), *r = NULL, *arg = NULL;
    PyObject *src = NULL, *srcs = NULL, *view_arg = NULL, *out = NULL;
    if (kept == NULL || axes == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < nd; i++) {
        PyObject *ax = PyLong_FromSsize_t(i);
        if (ax == NULL)
            goto done;
        PyTuple_SET_ITEM(axes, i, ax);
        PyTuple_SET_ITEM(kept, i, PyLong_FromLong(1));
    }
    src = node_of(a);
    arg = src ? PyTuple_Pack(2, s_sum, axes) : NULL;
    srcs = arg ? PyTuple_Pack(1, src) : NULL;
    r = srcs ? make_node(s_reduce, dtype, kept, srcs, arg) : NULL;
    if (r == NULL)
        goto done;
    Py_SETREF(srcs, PyTuple_Pack(1, r));
    view_arg = srcs ? PyTuple_Pack(3, empty_tuple, empty_tuple, zero) : NULL;
    if (view_arg == NULL)
        goto done;
    out = make_node(s_view, dtype, empty_tuple, srcs, view_arg);
done:
    Py_XDECREF(kept);
    Py_XDECREF(axes);
    Py_XDECREF(r);
    Py_XDECREF(arg);
    Py_XDECREF(src);
    Py_XDECREF(srcs);
    Py_XDECREF(view_arg);
    return out;
}

static PyObject *sum_all(PyObject *a)
{
    PyObject *n = sum_node(a);
    if (n == NULL || n == Py_NotImplemented)
        return n;
    return result_tensor(n, SLOT(SLOT(a, t_storage), s_device));
}

/* x.mean() of a float32 or float64 tensor with elements: reductions.mean's nodes, the sum
 * divided by the count as `total / n` divides (a scalar input on the CPU, as the div
 * operator's scalar is, a literal elsewhere). NotImplemented for other tensors. */
static PyObject *mean_all(PyObject *a)
{
    PyObject *sa = SLOT(a, t_storage), *shape = SLOT(a, t_shape), *dtype = SLOT(sa, s_dtype);
    PyObject *f32 = PyDict_GetItemWithError(dtypes_dict, s_float32);
    PyObject *f64 = f32 ? PyDict_GetItemWithError(dtypes_dict, s_float64) : NULL;
    if (f64 == NULL)
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_NotImplemented);
    if ((dtype != f32 && dtype != f64) || PyTuple_GET_SIZE(shape) == 0)
        return Py_NewRef(Py_NotImplemented);
    long long numel = 1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); i++)
        numel *= PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
    if (PyErr_Occurred())
        return NULL;
    if (numel == 0)
        return Py_NewRef(Py_NotImplemented);
    PyObject *total = sum_node(a);
    if (total == NULL || total == Py_NotImplemented)
        return total;
    PyObject *device = SLOT(sa, s_device), *kind = SLOT(device, dev_type);
    int as_input = PySet_Contains(scalar_input_ops, s_div) == 1 && kind != NULL &&
                   same_str(kind, s_cpu);
    PyObject *count = PyFloat_FromDouble((double)numel);
    PyObject *scalar = count ? const_node(count, dtype, empty_tuple, as_input) : NULL;
    PyObject *srcs = scalar ? PyTuple_Pack(2, total, scalar) : NULL;
    PyObject *n = srcs ? make_node(s_div, dtype, empty_tuple, srcs, Py_None) : NULL;
    Py_XDECREF(count);
    Py_XDECREF(scalar);
    Py_XDECREF(srcs);
    Py_DECREF(total);
    return n ? result_tensor(n, device) : NULL;
}

static PyObject *py_realize_alone(PyObject *self, PyObject *st);
static PyObject *ndarray_type, *bfloat16_dtype, *s_item;

/* Tensor.item() of a one-element CPU tensor whose storage is realised, or is realised by its
 * cached program (realize_alone): the element, read from the buffer's NumPy array. */
static PyObject *item(PyObject *a)
{
    PyObject *shape = SLOT(a, t_shape), *st = SLOT(a, t_storage);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); i++) {
        long long s = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
        if (s == -1 && PyErr_Occurred())
            return NULL;
        if (s != 1)
            return Py_NewRef(Py_NotImplemented);
    }
    if (ndarray_type == NULL || SLOT(st, s_dtype) == bfloat16_dtype)
        return Py_NewRef(Py_NotImplemented);
    if (!same_str(SLOT(SLOT(st, s_node), n_op), s_load)) {
        PyObject *done = py_realize_alone(NULL, st);
        if (done == NULL)
            return NULL;
        Py_DECREF(done);
        if (done != Py_True)
            return Py_NewRef(Py_NotImplemented);
    }
    PyObject *buf = SLOT(st, s_buffer);
    PyObject *array = buf != NULL && buf != Py_None ? SLOT(buf, b_array) : NULL;
    if (array == NULL || Py_TYPE(array) != (PyTypeObject *)ndarray_type)
        return Py_NewRef(Py_NotImplemented);
    PyObject *call[2] = {array, SLOT(a, t_offset)};
    return PyObject_VectorcallMethod(s_item, call, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

static PyObject *record_hook;       /* fastgrad.attach */

static int requires_grad(PyObject *t)
{
    return PyObject_TypeCheck(t, TensorType) && SLOT(t, t_requires_grad) == Py_True;
}

/* The op's result on tensors that require grad, in grad mode: the forward node built here,
 * the node autograd records on it by fastgrad.attach(general, result, *args) (which takes
 * the general path itself when it has no template for this kind of call). NotImplemented
 * when the forward is not one this path builds. */
static PyObject *recorded(FastOp *f, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *out;
    if (f->kind == BINARY && nargs == 2)
        out = binary(f, args[0], args[1], 1);
    else if (f->kind == UNARY && nargs == 1)
        out = unary(f, args[0]);
    else if (f->kind == SUM && nargs == 1)
        out = sum_all(args[0]);
    else if (f->kind == MEAN && nargs == 1)
        out = mean_all(args[0]);
    else if (f->kind == POW && nargs == 2)
        out = pow_scalar(args[0], args[1]);
    else if (f->kind == MATMUL && nargs == 2)
        out = matmul2d(args[0], args[1], 1);
    else
        return Py_NewRef(Py_NotImplemented);
    if (out == NULL || out == Py_NotImplemented)
        return out;
    PyObject *call[4] = {f->general, out, args[0], nargs == 2 ? args[1] : NULL};
    PyObject *r = PyObject_Vectorcall(record_hook, call, 2 + nargs, NULL);
    Py_DECREF(out);
    return r;
}

static PyObject *fastop_vectorcall(FastOp *f, PyObject *const *args, size_t nargsf,
                                   PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *out = Py_NotImplemented;
    if (kwnames == NULL && nargs >= 1 && plain_tensor(args[0], f->kind)) {
        if ((f->kind == BINARY || f->kind == INPLACE) && nargs == 2)
            out = binary(f, args[0], args[1], 0);
        else if (f->kind == UNARY && nargs == 1)
            out = unary(f, args[0]);
        else if (f->kind == SUM && nargs == 1)
            out = sum_all(args[0]);
        else if (f->kind == MEAN && nargs == 1)
            out = mean_all(args[0]);
        else if (f->kind == ITEM && nargs == 1)
            out = item(args[0]);
        else if (f->kind == POW && nargs == 2)
            out = pow_scalar(args[0], args[1]);
        else if (f->kind == MATMUL && nargs == 2)
            out = matmul2d(args[0], args[1], 0);
        else if (f->kind == TRANSPOSE && nargs == 1)
            out = transposed(args[0]);
        else if (f->kind == VIEW && nargs >= 2)
            out = viewed(args[0], args + 1, nargs - 1);
        else
            Py_INCREF(out);
        if (out == NULL || out != Py_NotImplemented)
            return out;
        Py_DECREF(out);
    }
    if (kwnames == NULL && nargs >= 1 && nargs <= 2 && record_hook != NULL && !grad_off &&
        plain_tensor(args[0], RECORDED) &&
        (requires_grad(args[0]) || (nargs == 2 && requires_grad(args[1])))) {
        out = recorded(f, args, nargs);
        if (out == NULL || out != Py_NotImplemented)
            return out;
        Py_DECREF(out);
    }
    return PyObject_Vectorcall(f->general, args, nargsf, kwnames);
}

static PyObject *py_init_record(PyObject *self, PyObject *hook)
{
    Py_XSETREF(record_hook, Py_NewRef(hook));
    Py_RETURN_NONE;
}

static PyObject *fastop_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    const char *kind;
    int reflected;
    PyObject *op, *general;
    if (!PyArg_ParseTuple(args, "sUpO", &kind, &op, &reflected, &general))
        return NULL;
    FastOp *f = (FastOp *)type->tp_alloc(type, 0);
    if (f == NULL)
        return NULL;
    f->kind = strcmp(kind, "binary") == 0 ? BINARY : strcmp(kind, "unary") == 0 ? UNARY :
              strcmp(kind, "item") == 0 ? ITEM : strcmp(kind, "inplace") == 0 ? INPLACE :
              strcmp(kind, "pow") == 0 ? POW : strcmp(kind, "matmul") == 0 ? MATMUL :
              strcmp(kind, "t") == 0 ? TRANSPOSE : strcmp(kind, "view") == 0 ? VIEW :
              strcmp(kind, "mean") == 0 ? MEAN : SUM;
    f->reflected = reflected;
    f->scalar_input = scalar_input_ops != NULL && PySet_Contains(scalar_input_ops, op) == 1;
    f->op = Py_NewRef(op);
    f->general = Py_NewRef(general);
    f->vectorcall = (vectorcallfunc)fastop_vectorcall;
    return (PyObject *)f;
}

static void fastop_dealloc(FastOp *f)
{
    Py_XDECREF(f->last.found);
    Py_XDECREF(f->op);
    Py_XDECREF(f->general);
    Py_TYPE(f)->tp_free((PyObject *)f);
}

/* Bound like a Python function: t.abs is a method of t. */
static PyObject *fastop_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None)
        return Py_NewRef(self);
    return PyMethod_New(self, obj);
}

/* __name__, __doc__, __wrapped__...: the general method's, for help() and inspect. */
static PyObject *fastop_getattro(FastOp *f, PyObject *name)
{
    static const char *forwarded[] = {"__doc__", "__name__", "__qualname__", "__module__",
                                      "__signature__", NULL};
    if (PyUnicode_Check(name)) {
        if (PyUnicode_CompareWithASCIIString(name, "__wrapped__") == 0)
            return Py_NewRef(f->general);
        for (int i = 0; forwarded[i] != NULL; i++)
            if (PyUnicode_CompareWithASCIIString(name, forwarded[i]) == 0)
                return PyObject_GetAttr(f->general, name);
    }
    return PyObject_GenericGetAttr((PyObject *)f, name);
}

static PyObject *fastop_repr(FastOp *f)
{
    return PyUnicode_FromFormat("<fast method %R>", f->general);
}

static PyTypeObject FastOpType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lazytensor._front.FastOp",
    .tp_basicsize = sizeof(FastOp),
    .tp_dealloc = (destructor)fastop_dealloc,
    .tp_vectorcall_offset = offsetof(FastOp, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_repr = (reprfunc)fastop_repr,
    .tp_getattro = (getattrofunc)fastop_getattro,
    .tp_descr_get = fastop_get,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = fastop_new,
};

/* storage._live_pending: the pending storages, each once; the list keeps their references
 * (dead ones and realised ones dropped). */
static PyObject *py_live_pending(PyObject *self, PyObject *unused)
{
    PyObject *live = PyList_New(0), *keep = PyList_New(0), *seen = PySet_New(NULL);
    if (live == NULL || keep == NULL || seen == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(pending); i++) {
        PyObject *ref = PyList_GET_ITEM(pending, i);
        PyObject *st = weak_target(ref);
        if (st == Py_None)
            continue;
        PyObject *n = SLOT(st, s_node);
        if (n == NULL || same_str(SLOT(n, n_op), s_load))
            continue;
        int dup = PySet_Contains(seen, st);
        if (dup < 0)
            goto fail;
        if (dup)
            continue;
        if (PySet_Add(seen, st) < 0 || PyList_Append(keep, ref) < 0 ||
            PyList_Append(live, st) < 0)
            goto fail;
    }
    if (PyList_SetSlice(pending, 0, PyList_GET_SIZE(pending), keep) < 0)
        goto fail;
    Py_DECREF(keep);
    Py_DECREF(seen);
    return live;
fail:
    Py_XDECREF(live);
    Py_XDECREF(keep);
    Py_XDECREF(seen);
    return NULL;
}

/* -- running a cached program ------------------------------------------------------------- */

/* What codegen/run.py's bind + _run + results_of do for a program whose temporaries are all
 * small (large ones come from the memory pool, in Python): the slots' arrays, one call of
 * the program's entry point (the GIL released, as cffi does), the targets' arrays. */
typedef void (*program_fn)(void **);

typedef struct {
    PyObject_HEAD
    program_fn fn;
    Py_ssize_t n_slots, n_inputs, n_temps, n_targets;
    Py_ssize_t *input_slot, *input_number, *temp_slot, *target_slot;
    PyObject **temp_numel, **temp_dtype;
} Runner;

static PyObject *np_empty, *s_array, *s_result;

static void runner_dealloc(Runner *r)
{
    for (Py_ssize_t i = 0; i < r->n_temps; i++) {
        Py_XDECREF(r->temp_numel[i]);
        Py_XDECREF(r->temp_dtype[i]);
    }
    PyMem_Free(r->input_slot);
    PyMem_Free(r->temp_numel);
    Py_TYPE(r)->tp_free((PyObject *)r);
}

static PyTypeObject RunnerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lazytensor._front.Runner",
    .tp_basicsize = sizeof(Runner),
    .tp_dealloc = (destructor)runner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* Runner(address, n_slots, input_numbers, temps, target_slots, empty): input_numbers[slot]
 * is the key input in that slot; temps are (slot, numpy dtype, numel); empty is np.empty. */
static PyObject *py_runner(PyObject *self, PyObject *args)
{
    unsigned long long address;
    Py_ssize_t n_slots;
    PyObject *inputs, *temps, *targets, *empty;
    if (!PyArg_ParseTuple(args, "KnO!O!O!O", &address, &n_slots, &PyList_Type, &inputs,
                          &PyList_Type, &temps, &PyList_Type, &targets, &empty))
        return NULL;
    Runner *r = PyObject_New(Runner, &RunnerType);
    if (r == NULL)
        return NULL;
    r->fn = (program_fn)(uintptr_t)address;
    r->n_slots = n_slots;
    r->n_inputs = PyList_GET_SIZE(inputs);
    r->n_temps = PyList_GET_SIZE(temps);
    r->n_targets = PyList_GET_SIZE(targets);
    r->input_slot = PyMem_Calloc(2 * r->n_inputs + r->n_temps + r->n_targets + 1,
                                 sizeof(Py_ssize_t));
    r->temp_numel = PyMem_Calloc(2 * r->n_temps + 1, sizeof(PyObject *));
    r->n_temps = 0;
    if (r->input_slot == NULL || r->temp_numel == NULL) {
        Py_DECREF(r);
        return PyErr_NoMemory();
    }
    r->input_number = r->input_slot + r->n_inputs;
    r->temp_slot = r->input_number + r->n_inputs;
    r->target_slot = r->temp_slot + PyList_GET_SIZE(temps);
    r->temp_dtype = r->temp_numel + PyList_GET_SIZE(temps);
    for (Py_ssize_t i = 0; i < r->n_inputs; i++) {
        r->input_slot[i] = i;
        r->input_number[i] = PyLong_AsSsize_t(PyList_GET_ITEM(inputs, i));
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(temps); i++) {
        PyObject *t = PyList_GET_ITEM(temps, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_TypeError, "temps are (slot, dtype, numel)");
            return NULL;
        }
        r->temp_slot[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 0));
        r->temp_dtype[i] = Py_NewRef(PyTuple_GET_ITEM(t, 1));
        r->temp_numel[i] = Py_NewRef(PyTuple_GET_ITEM(t, 2));
        r->n_temps = i + 1;
    }
    for (Py_ssize_t i = 0; i < r->n_targets; i++)
        r->target_slot[i] = PyLong_AsSsize_t(PyList_GET_ITEM(targets, i));
    if (PyErr_Occurred()) {
        Py_DECREF(r);
        return NULL;
    }
    if (np_empty == NULL)
        np_empty = Py_NewRef(empty);
    return (PyObject *)r;
}

/* run(runner, key_inputs): the arrays of the runner's targets after one run. */
static PyObject *py_run(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !Py_IS_TYPE(args[0], &RunnerType) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "run(runner, key_inputs)");
        return NULL;
    }
    Runner *r = (Runner *)args[0];
    PyObject *key_inputs = args[1], *result = NULL;
    PyObject **arrays = PyMem_Calloc(r->n_slots + 1, sizeof(PyObject *));
    void **ptrs = PyMem_Calloc(r->n_slots + 1, sizeof(void *));
    char *known = PyMem_Calloc(r->n_slots + 1, 1);
    if (arrays == NULL || ptrs == NULL || known == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < r->n_inputs; i++) {
        Py_ssize_t number = r->input_number[i];
        if (number < 0 || number >= PyList_GET_SIZE(key_inputs)) {
            PyErr_SetString(PyExc_IndexError, "input number");
            goto done;
        }
        PyObject *n = PyList_GET_ITEM(key_inputs, number);
        PyObject *arg = SLOT(n, n_arg);
        Py_ssize_t slot = r->input_slot[i];
        int load = same_str(SLOT(n, n_op), s_load);
        if (load && BufferType != NULL && PyObject_TypeCheck(arg, BufferType) &&
            SLOT(arg, b_array) != NULL) {
            /* a Buffer's array never changes: its address is kept in Buffer.ptr */
            Py_XSETREF(arrays[slot], Py_NewRef(SLOT(arg, b_array)));
            PyObject *cached = SLOT(arg, b_ptr);
            if (cached != NULL && PyLong_CheckExact(cached)) {
                ptrs[slot] = PyLong_AsVoidPtr(cached);
                known[slot] = 1;
            } else {
                Py_buffer view;
                if (PyObject_GetBuffer(arrays[slot], &view, PyBUF_SIMPLE) < 0)
                    goto done;
                ptrs[slot] = view.buf;
                known[slot] = 1;
                PyBuffer_Release(&view);
                PyObject *address = PyLong_FromVoidPtr(ptrs[slot]);
                if (address == NULL)
                    goto done;
                Py_XSETREF(SLOT(arg, b_ptr), address);
            }
            continue;
        }
        PyObject *a = load ? PyObject_GetAttr(arg, s_array) : PyObject_GetAttr(arg, s_result);
        if (a == NULL)
            goto done;
        Py_XSETREF(arrays[slot], a);
    }
    for (Py_ssize_t i = 0; i < r->n_temps; i++) {
        PyObject *call[2] = {r->temp_numel[i], r->temp_dtype[i]};
        PyObject *a = PyObject_Vectorcall(np_empty, call, 2, NULL);
        if (a == NULL)
            goto done;
        Py_XSETREF(arrays[r->temp_slot[i]], a);
    }
    for (Py_ssize_t i = 0; i < r->n_slots; i++) {
        Py_buffer view;
        if (known[i])
            continue;
        if (arrays[i] == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "a program slot was not bound");
            goto done;
        }
        if (PyObject_GetBuffer(arrays[i], &view, PyBUF_SIMPLE) < 0)
            goto done;
        ptrs[i] = view.buf;            /* the array (held in `arrays`) keeps the memory */
        PyBuffer_Release(&view);
    }
    Py_BEGIN_ALLOW_THREADS
    r->fn(ptrs);
    Py_END_ALLOW_THREADS
    result = PyList_New(r->n_targets);
    if (result == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < r->n_targets; i++)
        PyList_SET_ITEM(result, i, Py_NewRef(arrays[r->target_slot[i]]));
done:
    if (arrays != NULL)
        for (Py_ssize_t i = 0; i < r->n_slots; i++)
            Py_XDECREF(arrays[i]);
    PyMem_Free(arrays);
    PyMem_Free(ptrs);
    PyMem_Free(known);
    return result;
}

/* storage._realize_alone's work for one CPU storage without a buffer whose program is in
 * the memory cache (and needs no error check): key, lookup, run, then the storage's new
 * buffer (which keeps the plan) and load node, and the counts. False when Python must do
 * it. */
static PyObject *memory_cache, *stats, *environ_data, *debug_key;
static PyObject *s_runner, *s_plan, *s_n_kernels, *s_may_fail, *s_type,
    *s_memory_hits, *s_programs_run, *s_kernels_run;

static int bump(PyObject *name, PyObject *by)
{
    PyObject *v = PyDict_GetItemWithError(stats, name);
    if (v == NULL)
        return PyErr_Occurred() ? -1 : 0;
    PyObject *nv = PyNumber_Add(v, by);
    int r = nv == NULL ? -1 : PyDict_SetItem(stats, name, nv);
    Py_XDECREF(nv);
    return r;
}

/* 1 when no live pending storage but st is on the pending list, else 0. The list is
 * compacted on the way (dead and realised entries dropped, as _live_pending does, without
 * building anything), so each call reads only what was added since the last. */
static int alone_pending(PyObject *st)
{
    Py_ssize_t n = PyList_GET_SIZE(pending), kept = 0;
    int alone = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ref = PyList_GET_ITEM(pending, i);
        PyObject *t = weak_target(ref);
        int live = t != Py_None && SLOT(t, s_node) != NULL &&
                   !same_str(SLOT(SLOT(t, s_node), n_op), s_load);
        if (!live) {
            Py_DECREF(ref);
            continue;
        }
        if (t != st)
            alone = 0;
        PyList_SET_ITEM(pending, kept++, ref);
    }
    for (Py_ssize_t i = kept; i < n; i++)        /* (their references moved or were dropped) */
        PyList_SET_ITEM(pending, i, NULL);
    if (kept < n)
        PyList_SetSlice(pending, kept, n, NULL);
    return alone;
}

static PyObject *py_realize_alone(PyObject *self, PyObject *st)
{
    if (BufferType == NULL || !Py_IS_TYPE(st, StorageType))
        Py_RETURN_FALSE;
    PyObject *n = SLOT(st, s_node), *device = SLOT(st, s_device);
    if (n == NULL || device == NULL || SLOT(st, s_buffer) != Py_None ||
        same_str(SLOT(n, n_op), s_load) || same_str(SLOT(n, n_op), s_extern))
        Py_RETURN_FALSE;
    PyObject *dtype_name = PyObject_GetAttr(device, s_type);
    if (dtype_name == NULL)
        return NULL;
    int cpu = same_str(dtype_name, s_cpu);
    Py_DECREF(dtype_name);
    if (!cpu)
        Py_RETURN_FALSE;
    PyObject *debug = PyDict_GetItemWithError(environ_data, debug_key);
    if (debug != NULL)
        Py_RETURN_FALSE;
    if (PyErr_Occurred())
        return NULL;
    /* Another live pending storage may share work with this one, or read its buffer: the
     * Python path decides which are realised together (storage._companions). */
    if (!alone_pending(st))
        Py_RETURN_FALSE;

    PyObject *targets = PyTuple_Pack(1, n), *found = NULL, *key = NULL, *program = NULL;
    PyObject *runner = NULL, *may_fail = NULL, *flats = NULL, *buf = NULL, *shape = NULL,
             *numel = NULL, *load = NULL, *plan = NULL, *nk = NULL, *result = NULL;
    PyObject *args[2] = {targets, empty_tuple};
    found = targets ? py_structure_key(NULL, args, 2) : NULL;
    if (found == NULL)
        goto done;
    if (found == Py_None || PyTuple_GET_ITEM(found, 2) == Py_True) {
        result = Py_NewRef(Py_False);
        goto done;
    }
    key = PyTuple_Pack(2, PyTuple_GET_ITEM(found, 0), empty_tuple);
    if (key == NULL)
        goto done;
    program = Py_XNewRef(PyDict_GetItemWithError(memory_cache, key));
    if (program == NULL) {
        if (!PyErr_Occurred())
            result = Py_NewRef(Py_False);
        goto done;
    }
    runner = PyObject_GetAttr(program, s_runner);
    may_fail = runner ? PyObject_GetAttr(program, s_may_fail) : NULL;
    if (may_fail == NULL)
        goto done;
    if (!Py_IS_TYPE(runner, &RunnerType) || may_fail != Py_False) {
        result = Py_NewRef(Py_False);
        goto done;
    }
    PyObject *run_args[2] = {runner, PyTuple_GET_ITEM(found, 1)};
    flats = py_run(NULL, run_args, 2);
    if (flats == NULL)
        goto done;
    PyObject *flat = PyList_GET_ITEM(flats, 0);
    plan = PyObject_GetAttr(program, s_plan);
    nk = plan ? PyObject_GetAttr(program, s_n_kernels) : NULL;
    if (nk == NULL)
        goto done;
    /* graph.Buffer(flat, dtype, "cpu") with .plan; small, so not the pool's to recycle */
    buf = BufferType->tp_alloc(BufferType, 0);
    if (buf == NULL)
        goto done;
    set_slot(buf, b_array, flat);
    set_slot(buf, b_dtype, SLOT(st, s_dtype));
    set_slot(buf, b_device, s_cpu);
    set_slot(buf, b_shared, Py_False);
    set_slot(buf, b_plan, plan);
    set_slot(buf, b_ptr, Py_None);
    numel = PyObject_GetAttrString(flat, "size");
    shape = numel ? PyTuple_Pack(1, numel) : NULL;
    load = shape ? make_node(s_load, SLOT(st, s_dtype), shape, empty_tuple, buf) : NULL;
    if (load == NULL)
        goto done;
    Py_SETREF(SLOT(st, s_buffer), Py_NewRef(buf));
    Py_SETREF(SLOT(st, s_node), Py_NewRef(load));       /* the old graph may die here */
    Py_XSETREF(SLOT(st, s_last_view), Py_NewRef(Py_None));
    PyObject *one = PyLong_FromLong(1);
    int bad = one == NULL || bump(s_memory_hits, one) < 0 || bump(s_programs_run, one) < 0 ||
              bump(s_kernels_run, nk) < 0;
    Py_XDECREF(one);
    if (!bad)
        result = Py_NewRef(Py_True);
done:
    Py_XDECREF(targets);
    Py_XDECREF(found);
    Py_XDECREF(key);
    Py_XDECREF(program);
    Py_XDECREF(runner);
    Py_XDECREF(may_fail);
    Py_XDECREF(flats);
    Py_XDECREF(buf);
    Py_XDECREF(shape);
    Py_XDECREF(numel);
    Py_XDECREF(load);
    Py_XDECREF(plan);
    Py_XDECREF(nk);
    return result;
}

static PyObject *py_init_run(PyObject *self, PyObject *args)
{
    PyObject *buffer_cls;
    PyObject *ndarray, *bf16;
    if (!PyArg_ParseTuple(args, "O!O!O!O!OO!O", &PyType_Type, &buffer_cls, &PyDict_Type,
                          &memory_cache, &PyDict_Type, &stats, &PyDict_Type, &environ_data,
                          &debug_key, &PyType_Type, &ndarray, &bf16))
        return NULL;
    ndarray_type = Py_NewRef(ndarray);
    bfloat16_dtype = Py_NewRef(bf16);
    if (slot_offset(buffer_cls, "array", &b_array) || slot_offset(buffer_cls, "dtype", &b_dtype) ||
        slot_offset(buffer_cls, "device", &b_device) ||
        slot_offset(buffer_cls, "shared", &b_shared) || slot_offset(buffer_cls, "plan", &b_plan) ||
        slot_offset(buffer_cls, "ptr", &b_ptr))
        return NULL;
    Py_INCREF(memory_cache);
    Py_INCREF(stats);
    Py_INCREF(environ_data);
    Py_INCREF(debug_key);
    BufferType = (PyTypeObject *)Py_NewRef(buffer_cls);
    Py_RETURN_NONE;
}

/* -- init ---------------------------------------------------------------------------------- */

static PyObject *py_init_graph(PyObject *self, PyObject *args)
{
    PyObject *node_cls, *ext_cls;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!", &PyType_Type, &node_cls, &PyDict_Type, &nodes,
                          &PyFrozenSet_Type, &plain_arg_ops, &PyFrozenSet_Type, &no_buffers,
                          &PyType_Type, &ext_cls))
        return NULL;
    Py_INCREF(nodes);
    Py_INCREF(plain_arg_ops);
    Py_INCREF(no_buffers);
    NodeType = (PyTypeObject *)Py_NewRef(node_cls);
    ExternType = Py_NewRef(ext_cls);
    if (slot_offset(node_cls, "op", &n_op) || slot_offset(node_cls, "dtype", &n_dtype) ||
        slot_offset(node_cls, "shape", &n_shape) || slot_offset(node_cls, "srcs", &n_srcs) ||
        slot_offset(node_cls, "arg", &n_arg) || slot_offset(node_cls, "buffers", &n_buffers) ||
        slot_offset(node_cls, "sig", &n_sig) || slot_offset(node_cls, "depth", &n_depth) ||
        slot_offset(ext_cls, "result", &ex_result))
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *py_init_ops(PyObject *self, PyObject *args)
{
    PyObject *storage_cls, *tensor_cls, *dtype_cls, *device_cls;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!OO!O!O!OO!", &PyType_Type, &storage_cls,
                          &PyType_Type, &tensor_cls, &PyType_Type, &dtype_cls, &PyType_Type,
                          &device_cls, &PyList_Type, &pending, &PyList_Type, &prune_at, &prune,
                          &PyDict_Type, &dtypes_dict, &PyDict_Type, &binary_memo, &PyDict_Type,
                          &unary_memo, &scalar_fn, &PyFrozenSet_Type, &scalar_input_ops))
        return NULL;
    Py_INCREF(scalar_fn);
    Py_INCREF(scalar_input_ops);
    if (PyList_GET_SIZE(prune_at) != 1) {
        PyErr_SetString(PyExc_ValueError, "prune_at holds one number");
        return NULL;
    }
    Py_INCREF(pending);
    Py_INCREF(prune_at);
    Py_INCREF(prune);
    Py_INCREF(dtypes_dict);
    Py_INCREF(binary_memo);
    Py_INCREF(unary_memo);
    StorageType = (PyTypeObject *)Py_NewRef(storage_cls);
    TensorType = (PyTypeObject *)Py_NewRef(tensor_cls);
    if (slot_offset(storage_cls, "node", &s_node) ||
        slot_offset(storage_cls, "numel", &s_numel) ||
        slot_offset(storage_cls, "dtype", &s_dtype) ||
        slot_offset(storage_cls, "device", &s_device) ||
        slot_offset(storage_cls, "buffer", &s_buffer) ||
        slot_offset(storage_cls, "shared", &s_shared) ||
        slot_offset(storage_cls, "last_view", &s_last_view) ||
        slot_offset(storage_cls, "version", &s_version) ||
        slot_offset(tensor_cls, "_storage", &t_storage) ||
        slot_offset(tensor_cls, "_shape", &t_shape) ||
        slot_offset(tensor_cls, "_strides", &t_strides) ||
        slot_offset(tensor_cls, "_offset", &t_offset) ||
        slot_offset(tensor_cls, "_base", &t_base) ||
        slot_offset(tensor_cls, "_requires_grad", &t_requires_grad) ||
        slot_offset(tensor_cls, "grad_fn", &t_grad_fn) ||
        slot_offset(tensor_cls, "grad", &t_grad) ||
        slot_offset(dtype_cls, "category", &d_category) ||
        slot_offset(device_cls, "type", &dev_type))
        return NULL;
    Py_RETURN_NONE;
}

/* storage._add_work(root, work, walked): the nodes of root's graph that compute something
 * (not load, const or view) added to the set `work`; every node walked goes into the dict
 * `walked`, numbered in the order it was met. Nodes are borrowed on the stack: the graph
 * holds them, and nothing here runs Python code. */
static PyObject *py_add_work(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PySet_Check(args[1]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "add_work(root, work: set, walked: dict)");
        return NULL;
    }
    PyObject *work = args[1], *walked = args[2];
    Py_ssize_t cap = 256, top = 0;
    PyObject **stack = PyMem_Malloc(cap * sizeof *stack);
    if (stack == NULL)
        return PyErr_NoMemory();
    stack[top++] = args[0];
    while (top > 0) {
        PyObject *n = stack[--top];
        if (!Py_IS_TYPE(n, NodeType)) {
            PyErr_SetString(PyExc_TypeError, "add_work walks nodes");
            goto fail;
        }
        PyObject *op = SLOT(n, n_op);
        if (same_str(op, s_load))
            continue;
        int seen = PyDict_Contains(walked, n);
        if (seen < 0)
            goto fail;
        if (seen)
            continue;
        PyObject *place = PyLong_FromSsize_t(PyDict_GET_SIZE(walked));
        if (place == NULL || PyDict_SetItem(walked, n, place) < 0) {
            Py_XDECREF(place);
            goto fail;
        }
        Py_DECREF(place);
        if (!same_str(op, s_const) && !same_str(op, s_view) && PySet_Add(work, n) < 0)
            goto fail;
        PyObject *srcs = SLOT(n, n_srcs);
        Py_ssize_t k = PyTuple_GET_SIZE(srcs);
        if (top + k > cap) {
            cap = 2 * (top + k);
            PyObject **grown = PyMem_Realloc(stack, cap * sizeof *stack);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            stack = grown;
        }
        for (Py_ssize_t i = k - 1; i >= 0; i--)      /* met in the order of srcs */
            stack[top++] = PyTuple_GET_ITEM(srcs, i);
    }
    PyMem_Free(stack);
    Py_RETURN_NONE;
fail:
    PyMem_Free(stack);
    return NULL;
}

static PyObject *py_init_bound(PyObject *self, PyObject *args)
{
    PyObject *limit, *fn;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &limit, &fn))
        return NULL;
    if (PyList_GET_SIZE(limit) != 1) {
        PyErr_SetString(PyExc_ValueError, "the depth limit is a list of one number");
        return NULL;
    }
    Py_XSETREF(realize_deep, Py_NewRef(fn));
    Py_XSETREF(depth_limit, Py_NewRef(limit));
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"init_record", py_init_record, METH_O, "init_record(fastgrad.attach)"},
    {"set_grad_mode", py_set_grad_mode, METH_O, "set_grad_mode(enabled): this thread's"},
    {"add_work", (PyCFunction)(void (*)(void))py_add_work, METH_FASTCALL,
     "add_work(root, work, walked): storage._add_work"},
    {"init_bound", py_init_bound, METH_VARARGS,
     "init_bound(depth_limit, realize_deep): storage.DEPTH_LIMIT and storage._realize_deep"},
    {"init_graph", py_init_graph, METH_VARARGS, "init_graph(Node, nodes, plain_arg_ops, "
     "no_buffers, ExternCall)"},
    {"init_ops", py_init_ops, METH_VARARGS, "init_ops(Storage, Tensor, dtype, device, pending, "
     "prune_at, prune, dtypes_globals, binary_memo, unary_memo, graph.scalar, "
     "SCALAR_INPUT_OPS)"},
    {"live_pending", py_live_pending, METH_NOARGS, "storage._live_pending"},
    {"realize_alone", py_realize_alone, METH_O,
     "realize_alone(storage): realise one CPU storage by its cached program; False if not"},
    {"init_run", py_init_run, METH_VARARGS,
     "init_run(Buffer, memory_cache, stats, environ_dict, debug_key, "
     "numpy.ndarray, bfloat16)"},
    {"Runner", py_runner, METH_VARARGS,
     "Runner(address, n_slots, input_numbers, temps, target_slots, np.empty)"},
    {"run", (PyCFunction)(void (*)(void))py_run, METH_FASTCALL,
     "run(runner, key_inputs): the targets' arrays after one run"},
    {"node", (PyCFunction)(void (*)(void))py_node, METH_FASTCALL,
     "node(op, dtype, shape, srcs=(), arg=None): graph.node"},
    {"structure_key", (PyCFunction)(void (*)(void))py_structure_key, METH_FASTCALL,
     "structure_key(targets, extra): codegen.run._key_recursive, or None if too deep"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_front", "lazytensor's front end in C", -1, methods,
};

PyMODINIT_FUNC PyInit__front(void)
{
    if (PyType_Ready(&ForgetType) < 0 || PyType_Ready(&FastOpType) < 0 ||
        PyType_Ready(&RunnerType) < 0)
        return NULL;
#define INTERN(var, text) if ((var = PyUnicode_InternFromString(text)) == NULL) return NULL
    INTERN(s_load, "load");
    INTERN(s_const, "const");
    INTERN(s_float32, "float32");
    INTERN(s_float64, "float64");
    INTERN(s_pow, "pow");
    INTERN(s_mul, "mul");
    INTERN(s_div, "div");
    INTERN(s_extern, "extern");
    INTERN(s_view, "view");
    INTERN(s_reduce, "reduce");
    INTERN(s_sum, "sum");
    INTERN(s_in, "in");
    INTERN(s_hex, "hex");
    INTERN(s_node_attr, "_node");
    INTERN(s_default_float, "_default_float");
    INTERN(s_array, "array");
    INTERN(s_item, "item");
    INTERN(s_runner, "runner");
    INTERN(s_plan, "plan");
    INTERN(s_n_kernels, "n_kernels");
    INTERN(s_may_fail, "may_fail");
    INTERN(s_cpu, "cpu");
    INTERN(s_type, "type");
    INTERN(s_memory_hits, "memory_hits");
    INTERN(s_programs_run, "programs_run");
    INTERN(s_kernels_run, "kernels_run");
    INTERN(s_result, "result");
    zero = PyLong_FromLong(0);
    one_obj = PyLong_FromLong(1);
    empty_tuple = PyTuple_New(0);
    interned = PyDict_New();
    consts = PyDict_New();
    if (interned == NULL || consts == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL || zero == NULL || one_obj == NULL || empty_tuple == NULL)
        return NULL;
    Py_INCREF(&FastOpType);
    if (PyModule_AddObject(m, "FastOp", (PyObject *)&FastOpType) < 0)
        return NULL;
#ifdef LT_FRONT_SOURCE_SHA256
    /* the hash of the source it was built from: codegen/native.py loads an extension built
     * at install only if this file has not changed since */
    if (PyModule_AddStringConstant(m, "source_sha256", LT_FRONT_SOURCE_SHA256) < 0)
        return NULL;
#endif
    return m;
}
