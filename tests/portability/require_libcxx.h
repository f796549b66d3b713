// Forced into every file of the libc++ syntax check: it fails unless the standard library really is libc++.
#include <version>

#ifndef _LIBCPP_VERSION
#error "the libc++ syntax check is not compiling against libc++"
#endif
