import TestSupport
import Testing

/// Parent of every suite that starts processes: they run one at a time, since each
/// loads both cores of the machine.
@Suite(.serialized) struct Processes {}
