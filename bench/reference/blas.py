"""Which BLAS the running torch uses: the shared libraries this process has mapped after a
matrix product (Debian's torch is built with BLAS_INFO=generic and links libblas.so.3, which the
alternatives system points at OpenBLAS once libopenblas0-pthread is installed)."""
import os

import torch


def blas_libraries():
    torch.randn(64, 64) @ torch.randn(64, 64)
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                base = os.path.basename(path)
                if "blas" in base or "lapack" in base or "mkl" in base:
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)
