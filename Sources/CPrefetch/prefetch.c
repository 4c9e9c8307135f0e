// Intentionally empty: the prefetch helper is a static inline function in include/prefetch.h.
#include "prefetch.h"
