/* Sentences every result of tpt carries. */
#ifndef TPT_NOTICE_H
#define TPT_NOTICE_H

#include "tpt/text.h"

#define TPT_NOT_A_DIAGNOSIS                                                                        \
    TPT_TEXT("This is not a diagnosis. tpt works from published referral patterns and "            \
             "guidelines; only a "                                                                 \
             "clinician who examines you can diagnose. See a clinician if pain is severe, keeps "  \
             "getting "                                                                            \
             "worse, or does not improve within a few weeks, and go to an emergency department "   \
             "at once "                                                                            \
             "for numbness between the legs, numbness or weakness in both legs, or any change in " \
             "bladder "                                                                            \
             "or bowel control.")

#endif
