/* SPDX-License-Identifier: MIT */
/* Internal to the vocabulary: the per-kind checks between fields. */
#ifndef HW_VOCAB_INT_H
#define HW_VOCAB_INT_H

#include "homeward/vocab.h"

hw_code hw__check_person(const hw_value *row, hw_err *e);
hw_code hw__check_conviction(const hw_value *row, hw_err *e);
hw_code hw__check_sentence(const hw_value *row, hw_err *e);
hw_code hw__check_supervision(const hw_value *row, hw_err *e);
hw_code hw__check_ledger(const hw_value *row, hw_err *e);
hw_code hw__check_violation(const hw_value *row, hw_err *e);

#endif
