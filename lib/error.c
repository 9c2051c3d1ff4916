#include <stdarg.h>
#include <stdio.h>

#include "tpt/error.h"

int tpt_error_set(tpt_error *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}
