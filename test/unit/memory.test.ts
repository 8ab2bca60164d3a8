/**
 * Memory stays flat over training: tfjs's live tensors and bytes are the same after 10,000 steps of a method as a
 * few dozen steps in, and disposing the trainer and the model returns every tensor. A leak of one tensor per step
 * would fill a GPU in an afternoon of training; here it shows as a count that moves. This file runs the methods
 * without an inner attack; memoryAttacks.test.ts the others, and memoryEngine.test.ts the engine's changes.
 */
import { describeTrainingMemory } from './memoryFixtures.ts';

describeTrainingMemory('memory over training (methods without an attack)', (m) => !m.usesAttack);
