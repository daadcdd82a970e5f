// The Portland NIJ calls-for-service importer over an arbitrary file: dates
// without a time, State Plane feet, case types with a call-group fallback.
// import_support.h states what is checked.

#include <cstddef>
#include <cstdint>

#include "import_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pingan::fuzz::fuzz_import("portland-nij", "NIJ2016_AUG01_AUG31.csv",
                            pingan::fuzz::as_text(data, size));
  return 0;
}
