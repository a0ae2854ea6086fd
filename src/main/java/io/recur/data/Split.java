package io.recur.data;

/** The three parts of every task's data; a task never lets an example appear in two of them. */
public enum Split { TRAIN, VALIDATION, TEST }
