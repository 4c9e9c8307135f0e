// Intentionally empty: the kernel is a static inline function in include/token_count.h.
#include "token_count.h"
