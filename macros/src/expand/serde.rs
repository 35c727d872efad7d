//! The wire format of entities and complex values: `Serialize` (everything, or a request body
//! without computed properties) and `Deserialize` (all missing required properties at once,
//! unknown ones ignored or kept in the extra map).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Shared;
use crate::symbol::ODATA_TYPE_PROPERTY;

/// `__graph_serialize` (the one writer) and the `Serialize` impl that calls it.
pub(super) fn serialize(s: &Shared<'_>) -> TokenStream {
    let Shared { ident, private, entity, declared, extra_get, shape, .. } = s;
    let odata_type = &entity.odata_type;
    // Entities write `@odata.type` first; complex values only when declared with `odata_type`.
    let write_type = entity.complex.as_ref().is_none_or(|c| c.write_type);
    let (len_start, type_entry) = if write_type {
        (quote!(1), quote!(__map.serialize_entry(#ODATA_TYPE_PROPERTY, #odata_type)?;))
    } else {
        (quote!(0), quote!())
    };
    let count = declared.iter().map(|f| {
        let name = f.ident;
        let one = if f.optional {
            quote!(#private::usize::from(#private::Option::is_some(&self.#name)))
        } else {
            quote!(1)
        };
        if f.computed { quote!(+ if __body { 0 } else { #one }) } else { quote!(+ #one) }
    });
    let count_extra = extra_get.as_ref().map(|get| quote!(+ #get.len()));
    let write = declared.iter().map(|f| {
        let (name, json) = (f.ident, &f.json);
        let entry = if f.optional {
            quote! {
                if let #private::Some(__value) = &self.#name {
                    __map.serialize_entry(#json, __value)?;
                }
            }
        } else {
            quote!(__map.serialize_entry(#json, &self.#name)?;)
        };
        if f.computed { quote!(if !__body { #entry }) } else { entry }
    });
    let body_flag = if declared.iter().any(|f| f.computed) { quote!(__body) } else { quote!(_) };
    let write_extra = extra_get.as_ref().map(|get| {
        quote! {
            #private::serialize_extra::<__S>(&mut __map, #get, <Self as #shape>::PROPERTIES)?;
        }
    });

    quote! {
        #[automatically_derived]
        impl #ident {
            /// The entity's JSON; `__body`: as a request body, without computed properties.
            fn __graph_serialize<__S>(
                &self,
                __serializer: __S,
                #body_flag: bool,
            ) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                use #private::serde::ser::SerializeMap as _;
                let __len = #len_start #(#count)* #count_extra;
                let mut __map = __serializer.serialize_map(#private::Some(__len))?;
                #type_entry
                #(#write)*
                #write_extra
                __map.end()
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                self.__graph_serialize(__serializer, false)
            }
        }
    }
}

/// The `Deserialize` impl: a visitor with one slot per declared field.
pub(super) fn deserialize(s: &Shared<'_>) -> TokenStream {
    let Shared { ident, private, entity, declared, extra, extra_access, .. } = s;
    let odata_type = &entity.odata_type;
    // Every declared name, `@odata.etag` included, by slot.
    let names: Vec<&str> = declared.iter().map(|f| f.json.as_str()).collect();
    let indices = 0..names.len();
    let slots: Vec<_> = (0..declared.len()).map(|i| format_ident!("__f{}", i)).collect();
    let slot_decls = declared.iter().zip(&slots).map(|(f, slot)| {
        let ty = f.ty;
        quote!(let mut #slot: #private::Option<#ty> = #private::None;)
    });
    let arms = declared.iter().zip(&slots).enumerate().map(|(i, (f, slot))| {
        let json = &f.json;
        quote!(#private::Property::Declared(#i) => #private::next_value(&mut __map, &mut #slot, #json)?,)
    });
    let keep_unknown = extra.is_some();
    let extra_decl = extra.map(|_| quote!(let mut __extra = #private::Map::new();));
    let unknown_arm = if keep_unknown {
        quote!(#private::Property::Unknown(__name) => #private::next_extra(&mut __map, &mut __extra, __name)?,)
    } else {
        quote!()
    };
    let required: Vec<_> =
        declared.iter().zip(&slots).filter(|(f, _)| f.required_on_read()).collect();
    let required_slots: Vec<_> = required.iter().map(|(_, s)| *s).collect();
    let required_json: Vec<_> = required.iter().map(|(f, _)| f.json.as_str()).collect();
    let init = entity.fields.iter().map(|f| {
        let name = f.ident;
        if f.extra {
            quote!(#name: (#extra_access.build)(__extra))
        } else {
            let slot = &slots[declared.iter().position(|d| d.ident == f.ident).unwrap_or_default()];
            if f.optional {
                quote!(#name: #private::Option::flatten(#slot))
            } else {
                quote!(#name: #slot)
            }
        }
    });
    let build = quote!(#private::Ok(#ident { #(#init),* }));
    let finish = if required_slots.is_empty() {
        build
    } else {
        quote! {
            match (#(#required_slots,)*) {
                (#(#private::Some(#required_slots),)*) => #build,
                (#(#required_slots,)*) => #private::Err(#private::missing_properties::<__A::Error>(
                    &[#((#private::Option::is_none(&#required_slots), #required_json)),*],
                )),
            }
        }
    };
    let expecting = format!("a JSON object for {odata_type}");

    quote! {
        #[automatically_derived]
        impl #private::PropertyIndex for #ident {
            // The declared properties by name: a match the compiler turns into comparisons by
            // length and bytes, not a search.
            #[inline]
            fn property_index(__name: &str) -> #private::Option<#private::usize> {
                match __name {
                    #(#names => #private::Some(#indices),)*
                    _ => #private::None,
                }
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'de> #private::serde::de::Visitor<'de> for __Visitor {
                    type Value = #ident;

                    fn expecting(&self, __f: &mut #private::fmt::Formatter<'_>) -> #private::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    fn visit_map<__A>(self, mut __map: __A) -> #private::Result<#ident, __A::Error>
                    where
                        __A: #private::serde::de::MapAccess<'de>,
                    {
                        #(#slot_decls)*
                        #extra_decl
                        let __seed = #private::PropertySeed::<#ident>::new(#keep_unknown);
                        while let #private::Some(__key) = __map.next_key_seed(__seed)? {
                            match __key {
                                #(#arms)*
                                #unknown_arm
                                _ => __map.next_value::<#private::serde::de::IgnoredAny>().map(|_| ())?,
                            }
                        }
                        #finish
                    }
                }

                __deserializer.deserialize_map(__Visitor)
            }
        }
    }
}
