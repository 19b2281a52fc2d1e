#ifndef CINCH_CYAML_SHIM_H
#define CINCH_CYAML_SHIM_H
#include <yaml.h>
#endif
