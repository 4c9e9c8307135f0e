// Intentionally empty: the function is static inline in include/malloc_tuning.h.
#include "malloc_tuning.h"
