//! How the server keeps its resident memory small under glibc's allocator.
//!
//! glibc gives each thread that allocates concurrently its own arena (up to eight per CPU) and
//! keeps what is freed there for reuse. The server runs many threads — HTTP, jobs, one per SQLite
//! connection, the import's reader — so a 50 MB import left it resident at 600 MB while its live
//! heap stayed under 100 MB. Two arenas and a trim after each bulk step keep it near the live heap.
//! Elsewhere (musl, macOS) both calls do nothing.

/// At most two arenas, unless `MALLOC_ARENA_MAX` already says otherwise. Call first thing in
/// `main`, before any thread starts.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; no thread has started yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Returns freed memory to the system (after a bulk step such as an import batch; about a
/// millisecond).
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
