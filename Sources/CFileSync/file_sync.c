// Intentionally empty: the function is static inline in include/file_sync.h.
#include "file_sync.h"
