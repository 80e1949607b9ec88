// GCC 13 emits a call to std::ios_base_library_init() (GLIBCXX_3.4.32) to set up <iostream>.
// Debian 12's libstdc++ predates it; constructing an ios_base::Init object does the same work.
#include <ios>
namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
