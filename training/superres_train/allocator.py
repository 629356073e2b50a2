"""Keeps the memory PyTorch frees in the process, for the next tensor of the same size.

glibc hands each large block (over 128 KiB at first) straight back to the system when it is freed, so the next
operator's output of the same size is faulted in again page by page. A pass of the teacher (CARN-M x3, 160x160,
2 threads) took 3.4-3.7 s that way and takes 0.6-1.0 s with the blocks kept.
Training steps allocate the same sizes over and over, so they profit too. Same effect as the MALLOC_*_ variables,
set from inside so every way of starting training gets it.
"""
import ctypes
import ctypes.util

# mallopt parameters from glibc's malloc.h
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3


def keep_freed_memory():
    """Serve blocks up to 32 MiB (glibc's largest threshold) from the heap and keep up to 2 GB of freed heap.
    Does nothing where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "mallopt"):
        return False
    settings = ((_M_MMAP_THRESHOLD, 32 * 1024 * 1024),
                (_M_TRIM_THRESHOLD, 2_000_000_000),  # glibc takes a C int here
                (_M_TOP_PAD, 512 * 1024 * 1024))
    accepted = [libc.mallopt(param, value) == 1 for param, value in settings]  # each one, even after a refusal
    return all(accepted)
