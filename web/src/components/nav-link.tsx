import Link, { type LinkProps } from '@cloudscape-design/components/link';
import { useNavigate } from 'react-router';

/** A Cloudscape link that navigates inside the app (no page load). */
export function NavLink({ href, ...rest }: LinkProps & { href: string }) {
  const navigate = useNavigate();
  return (
    <Link
      {...rest}
      href={href}
      onFollow={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    />
  );
}
