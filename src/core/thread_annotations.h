// Clang's thread-safety attributes, spelled so that other compilers see
// nothing.
//
// Under Clang with -Wthread-safety, a member declared
//     std::deque<Unit> queue_ WARDEN_GUARDED_BY(mu_);
// may only be read or written where the analysis can prove mu_ held, and a
// private helper declared
//     void EvictExpired(Timestamp now) WARDEN_REQUIRES(mu_);
// may only be called with mu_ held. The analysis is static and local to
// each function (it follows no calls, only their annotations) and costs
// nothing at run time. scripts/thread-safety.sh builds the libraries with
// it as an error; GCC and the sanitizer builds ignore the macros.
//
// The attributes only mean something on a type marked as a capability:
// libstdc++'s std::mutex is not, so guarded state sits behind warden::Mutex
// and its scoped locks (core/mutex.h, core/shared_mutex.h).
//
// Spelling and semantics: Clang's "Thread Safety Analysis" documentation
// (its mutex.h example); the names here are that example's, prefixed.
#ifndef WARDEN_CORE_THREAD_ANNOTATIONS_H_
#define WARDEN_CORE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define WARDEN_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define WARDEN_THREAD_ANNOTATION_(x)
#endif

// On a class: its objects are capabilities (a lock), named `x` in warnings.
#define WARDEN_CAPABILITY(x) WARDEN_THREAD_ANNOTATION_(capability(x))
// On a class: an RAII object that acquires in its constructor and releases
// in its destructor.
#define WARDEN_SCOPED_CAPABILITY WARDEN_THREAD_ANNOTATION_(scoped_lockable)

// On a data member: reading needs `x` held (shared or exclusive), writing
// needs it exclusive.
#define WARDEN_GUARDED_BY(x) WARDEN_THREAD_ANNOTATION_(guarded_by(x))
// On a pointer member: the same for the object pointed to.
#define WARDEN_PT_GUARDED_BY(x) WARDEN_THREAD_ANNOTATION_(pt_guarded_by(x))

// On a capability member: lock order.
#define WARDEN_ACQUIRED_BEFORE(...) \
  WARDEN_THREAD_ANNOTATION_(acquired_before(__VA_ARGS__))
#define WARDEN_ACQUIRED_AFTER(...) \
  WARDEN_THREAD_ANNOTATION_(acquired_after(__VA_ARGS__))

// On a function: the caller holds the capabilities (exclusively, or at
// least shared), and still holds them on return.
#define WARDEN_REQUIRES(...) \
  WARDEN_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define WARDEN_REQUIRES_SHARED(...) \
  WARDEN_THREAD_ANNOTATION_(requires_shared_capability(__VA_ARGS__))

// On a function: it acquires (releases) the capabilities; with no argument,
// the object it is called on.
#define WARDEN_ACQUIRE(...) \
  WARDEN_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#define WARDEN_ACQUIRE_SHARED(...) \
  WARDEN_THREAD_ANNOTATION_(acquire_shared_capability(__VA_ARGS__))
#define WARDEN_RELEASE(...) \
  WARDEN_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#define WARDEN_RELEASE_SHARED(...) \
  WARDEN_THREAD_ANNOTATION_(release_shared_capability(__VA_ARGS__))
// Releases whichever way it was acquired (a scoped lock's destructor).
#define WARDEN_RELEASE_GENERIC(...) \
  WARDEN_THREAD_ANNOTATION_(release_generic_capability(__VA_ARGS__))
// Acquires only when it returns the first argument (true for try_lock).
#define WARDEN_TRY_ACQUIRE(...) \
  WARDEN_THREAD_ANNOTATION_(try_acquire_capability(__VA_ARGS__))
#define WARDEN_TRY_ACQUIRE_SHARED(...) \
  WARDEN_THREAD_ANNOTATION_(try_acquire_shared_capability(__VA_ARGS__))

// On a function: the caller must not hold the capabilities (it takes them
// itself; holding one would deadlock).
#define WARDEN_EXCLUDES(...) \
  WARDEN_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))

// On a function: checks at run time that the capability is held; the
// analysis assumes it is afterwards.
#define WARDEN_ASSERT_CAPABILITY(x) \
  WARDEN_THREAD_ANNOTATION_(assert_capability(x))
// On a function: it returns a reference to the capability `x`.
#define WARDEN_RETURN_CAPABILITY(x) WARDEN_THREAD_ANNOTATION_(lock_returned(x))

// On a function definition: not analysed. Each use says why the analysis
// cannot follow the code.
#define WARDEN_NO_THREAD_SAFETY_ANALYSIS \
  WARDEN_THREAD_ANNOTATION_(no_thread_safety_analysis)

#endif  // WARDEN_CORE_THREAD_ANNOTATIONS_H_
