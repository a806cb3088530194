/*
 * vlog.h -- inside the verifier-log reader: what its files (vlog.c parses, vstate.c
 * follows the registers, vhint.c explains, vfold.c folds) share.  Not installed.
 */
#ifndef RAWBPF_VLOG_H
#define RAWBPF_VLOG_H

#include "rawbpf.h"

/* Walk the rows: set the notes of the rows where a call kills registers, and
 * v->fail for the failing instruction.  Needs v->reason. */
void rbpf_vlog_track(struct rbpf_vlog *v);

#endif
