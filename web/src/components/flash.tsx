import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { ApiError, SignInRequired } from '../api/client';

interface Flash {
  type: FlashbarProps.Type;
  header: string;
  content?: ReactNode;
  retry?: () => void;
}

interface FlashApi {
  push(flash: Flash): void;
  /** A failure as a flash: the problem's detail and code; network failures offer Retry. */
  error(header: string, error: unknown, retry?: () => void): void;
  success(header: string, content?: ReactNode): void;
  clear(): void;
}

const Context = createContext<FlashApi | undefined>(undefined);
let nextId = 1;

export function FlashProvider({ children }: { children: (items: FlashbarProps.MessageDefinition[]) => ReactNode }) {
  const [items, setItems] = useState<(FlashbarProps.MessageDefinition & { id: string })[]>([]);
  const dismiss = useCallback((id: string) => setItems((all) => all.filter((i) => i.id !== id)), []);
  const push = useCallback((flash: Flash) => {
    const id = String(nextId++);
    setItems((all) => [
      ...all.filter((i) => i.header !== flash.header).slice(-3),
      {
        id,
        type: flash.type,
        header: flash.header,
        content: flash.content,
        dismissible: true,
        dismissLabel: 'Dismiss message',
        onDismiss: () => dismiss(id),
        action: flash.retry ? (
          <RetryButton onClick={() => { dismiss(id); flash.retry?.(); }} />
        ) : undefined,
      },
    ]);
  }, [dismiss]);
  const api = useMemo<FlashApi>(() => ({
    push,
    error(header, error, retry) {
      if (error instanceof SignInRequired) return;
      push({ type: 'error', header, content: describe(error), retry: isRetryable(error) ? retry : undefined });
    },
    success(header, content) {
      // A success after a failure is the retry that worked: its failure is no longer news.
      setItems((all) => all.filter((i) => i.type !== 'error'));
      push({ type: 'success', header, content });
    },
    clear() {
      setItems([]);
    },
  }), [push]);
  return <Context.Provider value={api}>{children(items)}</Context.Provider>;
}

import Button from '@cloudscape-design/components/button';
function RetryButton({ onClick }: { onClick: () => void }) {
  return <Button onClick={onClick}>Retry</Button>;
}

export function useFlash(): FlashApi {
  const api = useContext(Context);
  if (!api) throw new Error('useFlash outside FlashProvider');
  return api;
}

/**
 * A failed submit inside a modal form (the flashbar behind the modal cannot be reached): the
 * problem's detail and code; the form keeps its input and its submit button is the retry.
 */
export function formProblem(error: unknown): ReactNode | undefined {
  if (!error || error instanceof SignInRequired) return undefined;
  return describe(error);
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && (error.network || error.status >= 500 || error.status === 429);
}

/** The problem's detail and its code, or what else is known. */
export function describe(error: unknown): ReactNode {
  if (error instanceof ApiError) {
    if (error.network) return 'The server cannot be reached. Check your connection, then retry.';
    if (error.problem) {
      return (
        <>
          {error.problem.detail} <span>(code: <code>{error.problem.code}</code>)</span>
        </>
      );
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export { Flashbar };
