// The St. Louis (SLMPD) importer over an arbitrary monthly file: its three
// header layouts, Count = -1 corrections, cp1252 bytes, State Plane feet.
// import_support.h states what is checked.

#include <cstddef>
#include <cstdint>

#include "import_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pingan::fuzz::fuzz_import("stlouis", "january2017.csv", pingan::fuzz::as_text(data, size));
  return 0;
}
