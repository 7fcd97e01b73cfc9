// Debian ships Boost.JSON and Boost.URL header-only; this translation unit
// holds their one compiled copy for the whole program.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
