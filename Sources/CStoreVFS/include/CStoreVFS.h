// SQLite's "unix" file system, with the store's `-shm` made writable before SQLite uses it.
//
// SQLite maps the `-shm` (the wal-index) into memory and grows it by writing one byte at the
// end of each 4 KiB page (os_unix.c, unixShmMap): on a file system of 1 KiB blocks that
// allocates one block of the four, and the first store through the mapping into any of the
// other three allocates it then. With the disk full that store is not an error SQLite can
// return: the kernel sends SIGBUS, and cinch crashed (exit 135) reading a parameter on an
// ext4 volume with 21–29 KiB free. Neither a check of the free space before opening (another
// process fills the disk a moment later; the WAL's second 32 KiB region is mapped in the middle
// of a transaction) nor an allocation of the `-shm` before opening (the first connection
// truncates it to 3 bytes) prevents that. So every time SQLite maps a region of the `-shm`,
// the region's pages are faulted in writable at once (`madvise(MADV_POPULATE_WRITE)`, Linux
// 5.14), which allocates (or reserves) their blocks as a store would, but reports a failure
// as an error instead of SIGBUS: the call that needed the region then fails with SQLITE_FULL
// (`errno` ENOSPC), which cinch reports as no space left. A kernel without it (EINVAL) leaves
// the region as SQLite made it.
//
// Not through a second descriptor of the `-shm` (`fallocate`): closing it would release every
// POSIX lock this process holds on the file, SQLite's included, and another process, taking
// itself for the first, truncated the `-shm` under this one (SIGBUS, 11 of 240 writes of four
// concurrent writers).
//
// C because a VFS is a table of C functions over SQLite's own file objects: the "unix" VFS's
// files are kept as they are, with SQLite's methods but for xShmMap. Not Linux: registers
// nothing.
#ifndef CINCH_STORE_VFS_H
#define CINCH_STORE_VFS_H

// Registers the VFS as SQLite's default for this process ("cinch-unix"), once; every later
// call returns what the first did. SQLITE_OK, or SQLITE_ERROR when there is no "unix" VFS.
int cinch_store_vfs_register(void);

// Faults in writable the `length` bytes of shared memory mapping at `region` (rounded out to
// whole pages), as a store into each page would, without changing a byte: 0, EFAULT when a
// page could not be (a store would have raised SIGBUS: no room for its blocks), another errno
// (EINVAL where the kernel cannot populate a mapping: nothing was done).
int cinch_store_vfs_populate(volatile void *region, long long length);

#endif
