/**
 * Memory stays flat over training with an inner attack (AT, TRADES, RST, LLR): 10,000 steps hold the same tensors
 * and bytes as a few dozen, and disposing returns every tensor (see memory.test.ts).
 */
import { describeTrainingMemory } from './memoryFixtures.ts';

describeTrainingMemory('memory over training (methods with an attack)', (m) => m.usesAttack);
