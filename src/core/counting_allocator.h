// Counts heap allocations, for the zero-allocation tests and the
// benchmarks' allocations-per-operation counters: replaces the global
// operator new and delete with malloc/free plus a relaxed counter.
//
// Include from exactly ONE source file of a test or benchmark executable
// (replacement allocation functions are defined, not declared, here: a
// second inclusion in the same binary is a duplicate definition), and
// never from a library.
#ifndef WARDEN_CORE_COUNTING_ALLOCATOR_H_
#define WARDEN_CORE_COUNTING_ALLOCATOR_H_

#include <atomic>
#include <cstdlib>
#include <new>

// Allocations made by operator new since the program started.
inline std::atomic<long> g_allocations{0};

// GCC 12 misreads the malloc/free pairing of these replacements as a
// mismatched new/delete.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // WARDEN_CORE_COUNTING_ALLOCATOR_H_
