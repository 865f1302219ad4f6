#ifndef BELAY_CBLAS_SHIM_H
#define BELAY_CBLAS_SHIM_H
#include <cblas.h>
// OpenBLAS' thread control (not part of CBLAS proper).
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
// LAPACK's Cholesky factorization, which OpenBLAS carries (Fortran convention: arguments by address, column-major;
// the trailing length is gfortran's hidden length of the character argument).
#include <stddef.h>
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_length);
#endif
