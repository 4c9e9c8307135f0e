// Intentionally empty: the classifier is a static inline function in include/text_scan.h.
#include "text_scan.h"
