/* placeholder until pattern discovery lands on this branch */
#include "patterns.h"
