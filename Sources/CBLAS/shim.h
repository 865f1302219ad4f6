#ifndef BELAY_CBLAS_SHIM_H
#define BELAY_CBLAS_SHIM_H
#include <cblas.h>
// OpenBLAS' thread control (not part of CBLAS proper).
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
#endif
