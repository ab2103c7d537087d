#!/usr/bin/perl
# seccomp-runtime-default.pl CAPS -- COMMAND...: runs COMMAND under a seccomp filter that refuses (EPERM) what the
# container runtimes' RuntimeDefault profile refuses a container without the matching capability: mounting and new
# namespaces (clone with namespace flags, unshare, setns) without SYS_ADMIN, module loading, reboot and kexec, clock
# setting, raw I/O ports, accounting, keyrings, swap, userfaultfd and the obsolete calls. CAPS is the container's
# capability list, comma-separated. x86_64 only; a deny-list, so it approximates the runtimes' allow-list profile.
use strict;
use warnings;

my $caps = shift @ARGV;
shift @ARGV if @ARGV && $ARGV[0] eq '--';
my %has = map { uc($_) => 1 } split /,/, $caps;

# x86_64 syscall numbers, by the capability that lets RuntimeDefault allow them ('' = never allowed).
my %gated = (
  SYS_ADMIN       => [165, 166, 272, 308, 155, 179, 212, 298, 321, 300, 428, 429, 430, 431, 432, 433, 442],
  SYS_BOOT        => [169, 246, 320],
  SYS_MODULE      => [175, 313, 176],
  SYS_TIME        => [164, 227, 305],
  SYS_RAWIO       => [172, 173],
  SYS_PACCT       => [163],
  SYS_TTY_CONFIG  => [153],
  DAC_READ_SEARCH => [304],
  SYSLOG          => [103],
  ''              => [250, 248, 249, 323, 134, 136, 139, 156, 180, 174, 177, 178, 167, 168],
);
my @deny;
for my $cap (sort keys %gated) {
  push @deny, @{ $gated{$cap} } unless $cap ne '' && $has{$cap};
}

my $ALLOW = 0x7fff0000;
my $EPERM = 0x00050000 | 1;
my $CLONE = 56;
my $NS_FLAGS = 0x7E020000;    # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
my @prog;
sub insn { push @prog, pack('SCCL', @_) }
insn(0x20, 0, 0, 4);                         # A = arch
insn(0x15, 1, 0, 0xC000003E);                # x86_64?
insn(0x06, 0, 0, $ALLOW);                    # another ABI: not modelled
insn(0x20, 0, 0, 0);                         # A = syscall number
for my $nr (@deny) {
  insn(0x15, 0, 1, $nr);
  insn(0x06, 0, 0, $EPERM);
}
unless ($has{SYS_ADMIN}) {
  insn(0x15, 0, 3, $CLONE);
  insn(0x20, 0, 0, 16);                      # A = low word of the flags
  insn(0x45, 0, 1, $NS_FLAGS);
  insn(0x06, 0, 0, $EPERM);
}
insn(0x06, 0, 0, $ALLOW);

my $filter = join '', @prog;
my $fprog = pack('S x6 Q', scalar(@prog), unpack('Q', pack('p', $filter)));
# prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog); root with SYS_ADMIN needs no no_new_privs for it.
syscall(157, 22, 2, $fprog) == 0 or die "seccomp: $!\n";
exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n";
