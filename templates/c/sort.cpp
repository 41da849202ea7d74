// Sorting kernels with PyTorch's CPU order for equal elements (codegen/sort_kernel.py builds
// this file once per machine and loads it with cffi).
//
// PyTorch's CPU kernels order with libstdc++: std::sort or std::stable_sort for sort,
// std::partial_sort or std::nth_element + std::sort for topk, a median-of-three quickselect
// for kthvalue, std::sort with a plain `<` for mode. Which of several equal elements ends
// where depends only on the outcome of each comparison, so this file runs the same
// libstdc++ algorithms on (key, index) pairs whose keys compare exactly as PyTorch's
// comparator compares the values: each value becomes an unsigned integer, ascending in the
// comparator's order (NaN above +inf and every NaN equal, -0.0 equal to 0.0).
//
// A stable order is unique, so stable sorts use an LSD radix sort on those keys (PyTorch's
// own radix sort, for 1-D integer tensors, is stable too).
//
// Every function reads `rows` rows of `n` contiguous values and writes int64 indices; it
// returns 0, or 1 when memory ran out.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

enum Dtype { U8 = 0, I8 = 1, I16 = 2, I32 = 3, I64 = 4, F32 = 5, F64 = 6 };

template <typename K, typename I>
struct Item {
    K key;
    I index;
};

// -- keys: unsigned integers in the comparator's order ------------------------------------------
inline uint8_t key_of(uint8_t v) { return v; }
inline uint8_t key_of(int8_t v) { return static_cast<uint8_t>(v) ^ 0x80u; }
inline uint16_t key_of(int16_t v) { return static_cast<uint16_t>(v) ^ 0x8000u; }
inline uint32_t key_of(int32_t v) { return static_cast<uint32_t>(v) ^ 0x80000000u; }
inline uint64_t key_of(int64_t v) { return static_cast<uint64_t>(v) ^ (uint64_t(1) << 63); }

inline uint32_t key_of(float v) {
    if (v != v) return UINT32_MAX;
    if (v == 0.0f) v = 0.0f;
    uint32_t u;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 31) ? ~u : (u | 0x80000000u);
}

inline uint64_t key_of(double v) {
    if (v != v) return UINT64_MAX;
    if (v == 0.0) v = 0.0;
    uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | (uint64_t(1) << 63));
}

template <typename T>
using key_t_of = decltype(key_of(T()));

template <typename T, typename K, typename I>
void load_row(const T *values, int64_t n, Item<K, I> *items) {
    for (int64_t i = 0; i < n; ++i) {
        items[i].key = key_of(values[i]);
        items[i].index = static_cast<I>(i);
    }
}

struct Ascending {
    template <typename P>
    bool operator()(const P &a, const P &b) const { return a.key < b.key; }
};

struct Descending {
    template <typename P>
    bool operator()(const P &a, const P &b) const { return a.key > b.key; }
};

// -- a row in sorted order: its keys and indices, each in an array of its own ------------------
// (new T[n] leaves the memory as it is: a vector would zero it, one more pass over it)
template <typename T>
std::unique_ptr<T[]> uninitialised(int64_t n) {
    return std::unique_ptr<T[]>(new T[static_cast<size_t>(n)]);
}

template <typename K, typename I>
struct Order {
    std::unique_ptr<K[]> key_store;
    std::unique_ptr<I[]> index_store;
    const K *keys = nullptr;        // bitwise negated when sorted descending by radix_order
    const I *indices = nullptr;
};

// The stable order by LSD radix sort, a byte at a time, skipping the bytes every key shares.
// With several threads each pass counts, then scatters, one chunk per thread (chunk t's
// elements of a digit go after chunk t-1's, so equal keys keep their order).
template <typename T, typename I>
void radix_order(const T *values, int64_t n, bool descending, int threads,
                 Order<key_t_of<T>, I> &order) {
    using K = key_t_of<T>;
    order.key_store = uninitialised<K>(2 * n);
    order.index_store = uninitialised<I>(2 * n);
    K *key = order.key_store.get(), *key_to = key + n;
    I *index = order.index_store.get(), *index_to = index + n;
    K differ = 0, flip = descending ? static_cast<K>(~K(0)) : K(0);
    K first = static_cast<K>(key_of(values[0]) ^ flip);
    for (int64_t i = 0; i < n; ++i) {
        key[i] = static_cast<K>(key_of(values[i]) ^ flip);
        index[i] = static_cast<I>(i);
        differ |= static_cast<K>(key[i] ^ first);
    }
    int tasks = n >= (1 << 16) ? std::max(1, threads) : 1;
    std::vector<int64_t> counts(static_cast<size_t>(tasks) * 256);
    for (unsigned shift = 0; shift < 8 * sizeof(K); shift += 8) {
        if (((differ >> shift) & 0xff) == 0) continue;      // every key has this byte
#pragma omp parallel num_threads(tasks) if (tasks > 1)
        {
#ifdef _OPENMP
            int t = omp_get_thread_num();
#else
            int t = 0;
#endif
            int64_t lo = n * t / tasks, hi = n * (t + 1) / tasks;
            int64_t *count = &counts[static_cast<size_t>(t) * 256];
            std::fill(count, count + 256, 0);
            for (int64_t i = lo; i < hi; ++i) count[(key[i] >> shift) & 0xff]++;
#pragma omp barrier
#pragma omp single
            {
                int64_t offset = 0;
                for (int d = 0; d < 256; ++d)
                    for (int u = 0; u < tasks; ++u) {
                        int64_t c = counts[static_cast<size_t>(u) * 256 + d];
                        counts[static_cast<size_t>(u) * 256 + d] = offset;
                        offset += c;
                    }
            }
            for (int64_t i = lo; i < hi; ++i) {
                int64_t at = count[(key[i] >> shift) & 0xff]++;
                key_to[at] = key[i];
                index_to[at] = index[i];
            }
        }
        std::swap(key, key_to);
        std::swap(index, index_to);
    }
    order.keys = key;
    order.indices = index;
}

// std::sort's order (std::stable_sort's for short stable rows) of (key, index) pairs
template <typename T, typename I>
void comparison_order(const T *values, int64_t n, bool descending, bool stable,
                      Order<key_t_of<T>, I> &order) {
    auto store = uninitialised<Item<key_t_of<T>, I>>(n);
    Item<key_t_of<T>, I> *items = store.get();
    load_row(values, n, items);
    if (stable) {
        if (descending) std::stable_sort(items, items + n, Descending());
        else std::stable_sort(items, items + n, Ascending());
    } else if (descending) {
        std::sort(items, items + n, Descending());
    } else {
        std::sort(items, items + n, Ascending());
    }
    order.key_store = uninitialised<key_t_of<T>>(n);
    order.index_store = uninitialised<I>(n);
    for (int64_t i = 0; i < n; ++i) {
        order.key_store[i] = items[i].key;
        order.index_store[i] = items[i].index;
    }
    order.keys = order.key_store.get();
    order.indices = order.index_store.get();
}

template <typename T, typename I>
void order_row(const T *values, int64_t n, bool descending, bool stable, int threads,
               Order<key_t_of<T>, I> &order) {
    if (stable && n > 64) radix_order(values, n, descending, threads, order);
    else comparison_order(values, n, descending, stable, order);
}

// -- topk: as PyTorch's topk_impl_loop, which partial_sorts when k * 64 <= n --------------------
template <typename K, typename I, typename Comp>
void topk_items(Item<K, I> *items, int64_t n, int64_t k, bool sorted, Comp comp) {
    if (k * 64 <= n) {
        std::partial_sort(items, items + k, items + n, comp);
    } else {
        std::nth_element(items, items + k - 1, items + n, comp);
        if (sorted) std::sort(items, items + k - 1, comp);
    }
}

// -- kthvalue: a median-of-three quickselect with a Sedgewick partition -------------------------
template <typename K, typename I>
void quickselect(Item<K, I> *v, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n - 1;
    auto swap_if_greater = [v](int64_t a, int64_t b) {
        if (v[a].key > v[b].key) std::swap(v[a], v[b]);
    };
    while (hi > lo) {
        if (hi == lo + 1) {
            swap_if_greater(lo, hi);
            return;
        }
        int64_t mid = (lo + hi) >> 1;
        std::swap(v[mid], v[lo + 1]);
        swap_if_greater(lo + 1, hi);
        swap_if_greater(lo, hi);
        swap_if_greater(lo + 1, lo);        // now v[lo+1] <= v[lo] <= v[hi]: sentinels
        K pivot = v[lo].key;
        int64_t i = lo + 1, j = hi;
        for (;;) {
            do ++i; while (pivot > v[i].key);
            do --j; while (v[j].key > pivot);
            if (j < i) break;
            std::swap(v[i], v[j]);
        }
        std::swap(v[lo], v[j]);
        if (j <= k) lo = i;
        if (j >= k) hi = j - 1;
    }
}

// -- the row loops: one row per task, rows shared among threads; 1 when memory ran out --------
template <typename Body>
int each_row(int64_t rows, int threads, Body body) {
    int failed = 0;
#pragma omp parallel for schedule(dynamic) num_threads(threads) if (threads > 1 && rows > 1)
    for (int64_t r = 0; r < rows; ++r) {
        try {
            body(r);
        } catch (const std::bad_alloc &) {
#pragma omp atomic write
            failed = 1;
        }
    }
    return failed;
}

// body(r, items) with row r's (key, index) pairs in items
template <typename T, typename I, typename Body>
int for_rows(const T *data, int64_t rows, int64_t n, int threads, Body body) {
    return each_row(rows, threads, [=](int64_t r) {
        auto items = uninitialised<Item<key_t_of<T>, I>>(n);
        load_row(data + r * n, n, items.get());
        body(r, items.get());
    });
}

template <typename T, typename I>
int sort_rows(const T *data, int64_t rows, int64_t n, bool descending, bool stable,
              int64_t *out, int threads) {
    return each_row(rows, threads, [=](int64_t r) {
        Order<key_t_of<T>, I> order;
        order_row(data + r * n, n, descending, stable, rows == 1 ? threads : 1, order);
        for (int64_t i = 0; i < n; ++i) out[r * n + i] = order.indices[i];
    });
}

template <typename T, typename I>
int topk_rows(const T *data, int64_t rows, int64_t n, int64_t k, bool largest, bool sorted,
              int64_t *out, int threads) {
    return for_rows<T, I>(data, rows, n, threads, [=](int64_t r, auto *items) {
        if (largest) topk_items(items, n, k, sorted, Descending());
        else topk_items(items, n, k, sorted, Ascending());
        for (int64_t i = 0; i < k; ++i) out[r * k + i] = items[i].index;
    });
}

template <typename T, typename I>
int kth_rows(const T *data, int64_t rows, int64_t n, int64_t k, int64_t *out, int threads) {
    return for_rows<T, I>(data, rows, n, threads, [=](int64_t r, auto *items) {
        quickselect(items, n, k);
        out[r] = items[k].index;
    });
}

// mode sorts (value, index) pairs with a plain `<` on the values, which is not an order once
// a NaN is among them: such rows are left to the caller (-1), the others get the index of
// the last element of the first longest run of equal values.
template <typename T>
void mode_row(const T *values, int64_t n, int64_t *out) {
    for (int64_t i = 0; i < n; ++i)
        if (values[i] != values[i]) {
            *out = -1;
            return;
        }
    std::vector<std::pair<T, int64_t>> items(n);
    for (int64_t i = 0; i < n; ++i) items[i] = {values[i], i};
    std::sort(items.begin(), items.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    int64_t best = 0, run = 0;
    for (int64_t i = 0; i < n; ++i) {
        ++run;
        if (i == n - 1 || items[i].first != items[i + 1].first) {
            if (run > best) {
                best = run;
                *out = items[i].second;
            }
            run = 0;
        }
    }
}

template <typename T>
int mode_rows(const T *data, int64_t rows, int64_t n, int64_t *out, int threads) {
    return each_row(rows, threads, [=](int64_t r) { mode_row(data + r * n, n, out + r); });
}

// unique: runs of equal values in sort order (each NaN a run of its own), each run shown by its
// first element. `first` and `counts` hold up to n runs, `inverse` (may be NULL) n entries.
template <typename T, typename I>
int unique_row(const T *data, int64_t n, bool stable, int64_t *first, int64_t *counts,
               int64_t *inverse, int64_t *runs, int threads) {
    using K = key_t_of<T>;
    const bool floating = static_cast<T>(0.5) != static_cast<T>(0);
    const K nan = static_cast<K>(~K(0));
    try {
        Order<K, I> order;
        order_row(data, n, false, stable, threads, order);
        const K *keys = order.keys;
        const I *indices = order.indices;
        int64_t m = -1;
        for (int64_t i = 0; i < n; ++i) {
            K key = keys[i];
            if (i == 0 || key != keys[i - 1] || (floating && key == nan)) {
                first[++m] = indices[i];
                counts[m] = 0;
            }
            counts[m]++;
            if (inverse) inverse[indices[i]] = m;
        }
        *runs = m + 1;
    } catch (const std::bad_alloc &) {
        return 1;
    }
    return 0;
}

// out[r, i] = data[r, indices[r, i]] for rows of n values and k indices (the values of a sort
// or topk at its indices: random reads, shared among threads)
template <typename T>
void take_rows(const T *data, const int64_t *indices, int64_t rows, int64_t n, int64_t k,
               T *out, int threads) {
#pragma omp parallel for collapse(2) num_threads(threads) if (threads > 1 && rows * k >= (1 << 16))
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t i = 0; i < k; ++i) out[r * k + i] = data[r * n + indices[r * k + i]];
}

// -- dispatch on the dtype and on the index width (32 bits while a row allows it) ---------------
template <template <typename, typename> class Op, typename... Args>
int dispatch(int dtype, int64_t n, const void *data, Args... args) {
    bool narrow = n <= INT32_MAX;
#define LT_CASE(code, T)                                                                     \
    case code:                                                                               \
        return narrow ? Op<T, int32_t>::run(static_cast<const T *>(data), args...)         \
                      : Op<T, int64_t>::run(static_cast<const T *>(data), args...);
    switch (dtype) {
        LT_CASE(U8, uint8_t)
        LT_CASE(I8, int8_t)
        LT_CASE(I16, int16_t)
        LT_CASE(I32, int32_t)
        LT_CASE(I64, int64_t)
        LT_CASE(F32, float)
        LT_CASE(F64, double)
    }
#undef LT_CASE
    return 2;
}

template <typename T, typename I>
struct SortOp {
    static int run(const T *d, int64_t rows, int64_t n, int desc, int stable, int64_t *out,
                   int threads) {
        return sort_rows<T, I>(d, rows, n, desc, stable, out, threads);
    }
};

template <typename T, typename I>
struct TopkOp {
    static int run(const T *d, int64_t rows, int64_t n, int64_t k, int largest, int sorted,
                   int64_t *out, int threads) {
        return topk_rows<T, I>(d, rows, n, k, largest, sorted, out, threads);
    }
};

template <typename T, typename I>
struct KthOp {
    static int run(const T *d, int64_t rows, int64_t n, int64_t k, int64_t *out, int threads) {
        return kth_rows<T, I>(d, rows, n, k, out, threads);
    }
};

template <typename T, typename I>
struct ModeOp {
    static int run(const T *d, int64_t rows, int64_t n, int64_t *out, int threads) {
        return mode_rows<T>(d, rows, n, out, threads);
    }
};

template <typename T, typename I>
struct UniqueOp {
    static int run(const T *d, int64_t n, int stable, int64_t *first, int64_t *counts,
                   int64_t *inverse, int64_t *runs, int threads) {
        return unique_row<T, I>(d, n, stable, first, counts, inverse, runs, threads);
    }
};

}  // namespace

extern "C" {

// indices ordering each row (stable: equal elements keep their order)
int lt_sort(int dtype, const void *data, int64_t rows, int64_t n, int descending, int stable,
            int64_t *out, int threads) {
    return dispatch<SortOp>(dtype, n, data, rows, n, descending, stable, out, threads);
}

// the indices of each row's k largest (or smallest), out holding rows * k
int lt_topk(int dtype, const void *data, int64_t rows, int64_t n, int64_t k, int largest,
            int sorted, int64_t *out, int threads) {
    return dispatch<TopkOp>(dtype, n, data, rows, n, k, largest, sorted, out, threads);
}

// the index of each row's (k+1)-th smallest, k counted from 0
int lt_kthvalue(int dtype, const void *data, int64_t rows, int64_t n, int64_t k, int64_t *out,
                int threads) {
    return dispatch<KthOp>(dtype, n, data, rows, n, k, out, threads);
}

// the index of each row's mode, -1 for a row holding a NaN
int lt_mode(int dtype, const void *data, int64_t rows, int64_t n, int64_t *out, int threads) {
    return dispatch<ModeOp>(dtype, n, data, rows, n, out, threads);
}

// unique of n values: *runs distinct values, the index of the one shown for each in first,
// how often each occurs in counts and, when inverse is not NULL, each element's run
int lt_unique(int dtype, const void *data, int64_t n, int stable, int64_t *first,
              int64_t *counts, int64_t *inverse, int64_t *runs, int threads) {
    return dispatch<UniqueOp>(dtype, n, data, n, stable, first, counts, inverse, runs, threads);
}

// values of `itemsize` bytes gathered along rows (see take_rows); 2 for another itemsize
int lt_take(int itemsize, const void *data, const int64_t *indices, int64_t rows, int64_t n,
            int64_t k, void *out, int threads) {
    switch (itemsize) {
    case 1:
        take_rows(static_cast<const uint8_t *>(data), indices, rows, n, k,
                  static_cast<uint8_t *>(out), threads);
        return 0;
    case 2:
        take_rows(static_cast<const uint16_t *>(data), indices, rows, n, k,
                  static_cast<uint16_t *>(out), threads);
        return 0;
    case 4:
        take_rows(static_cast<const uint32_t *>(data), indices, rows, n, k,
                  static_cast<uint32_t *>(out), threads);
        return 0;
    case 8:
        take_rows(static_cast<const uint64_t *>(data), indices, rows, n, k,
                  static_cast<uint64_t *>(out), threads);
        return 0;
    }
    return 2;
}

}
