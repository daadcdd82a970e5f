#include "crypto/sodium_ready.h"

#include <sodium.h>

namespace pingan::crypto {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;  // 1 when already done: also fine
  return ready;
}

}  // namespace pingan::crypto
