#ifndef ONBOARD_CLIBXML2_SHIM_H
#define ONBOARD_CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU; its UErrorCode clashes with Foundation's on a clean build.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer variable, which Swift 6 rejects as shared mutable state.
static inline void onboard_xml_free(void *pointer) { xmlFree(pointer); }
#endif
