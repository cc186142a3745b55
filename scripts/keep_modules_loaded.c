/* Preloaded by scripts/sanitize.sh into every test process: dlclose() does nothing, so modules
 * loaded with dlopen() stay mapped until the process exits. Open MPI 4.1's pmix plugin loads
 * libpmix, which keeps 32 bytes it allocated in pmix_hash_fetch, and unloads both in
 * MPI_Finalize; LeakSanitizer, which reports at exit, then sees the allocation with no module
 * name on its stack, and no suppression can match it. Kept mapped, the frame reads
 * "libpmix.so.2" and scripts/lsan_suppressions.txt names it. Only for sanitized test runs:
 * nothing in glassland links this file. */
int dlclose(void* handle) {
  (void)handle;
  return 0;
}
