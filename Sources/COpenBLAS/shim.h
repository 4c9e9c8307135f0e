#include <cblas.h>

// OpenBLAS (pthreads build) starts its worker threads when the library loads, and idle
// workers spin on sched_yield for a while: this stops them until a call needs them again.
void blas_thread_shutdown_(void);
