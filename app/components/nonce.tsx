import { createContext, useContext } from "react";

/** The CSP nonce of this response (server only; the browser never needs it again). */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
