// Fiber context switch for x86-64 System V: saves the callee-saved registers, the stack pointer
// and the SSE/x87 control words of the running context and resumes another. A user-space switch
// costs a few nanoseconds; ucontext's swapcontext makes a system call (signal mask) on every switch.

        .text
// void recur_sim_switch(void** save_sp /* rdi */, void* next_sp /* rsi */)
        .globl  recur_sim_switch
        .hidden recur_sim_switch
        .type   recur_sim_switch, @function
recur_sim_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   recur_sim_switch, .-recur_sim_switch

// First code of a new fiber: recur_sim_switch "returns" here with the entry function in r12 and
// its argument in r13 (see initialFrame in stacks.cpp). The entry never returns.
        .globl  recur_sim_fiber_start
        .hidden recur_sim_fiber_start
        .type   recur_sim_fiber_start, @function
recur_sim_fiber_start:
        .cfi_startproc
        .cfi_undefined rip
        movq    %r13, %rdi
        callq   *%r12
        ud2
        .cfi_endproc
        .size   recur_sim_fiber_start, .-recur_sim_fiber_start

        .section .note.GNU-stack,"",@progbits
